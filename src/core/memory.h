// Process-wide memory settings of the programs.
#pragma once

namespace connectors::core {

// glibc's defaults suit short programs, not a service moving 10 000 documents
// of up to 10 MiB through 100 threads: each contending thread gets an arena of
// its own (up to 8 per core), and the mmap threshold rises to the largest block
// freed, after which big buffers come from those arenas and their freed space
// stays resident. Caps the arenas (4) and fixes the mmap threshold (256 KiB) so
// that big buffers are given back to the system when freed — unless the user
// set MALLOC_ARENA_MAX / MALLOC_MMAP_THRESHOLD_. Call first in main().
void tune_malloc();

}  // namespace connectors::core
