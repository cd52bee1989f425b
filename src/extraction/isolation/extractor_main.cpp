// connectors-extractor: the worker process the service extracts text in
// (docs/DESIGN.md, "Extraction: isolation and modes"). Not meant to be run by
// hand: `connectors extract FILE` shows what it gives for a file.
#include "extraction/extract.h"
#include "extraction/isolation/worker.h"

int main(int argc, char** argv) {
  return connectors::extraction::isolation::worker_main(argc, argv,
                                                        connectors::extraction::extract_file);
}
