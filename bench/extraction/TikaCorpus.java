// Extracts every file of a corpus with Apache Tika (tika-app's classes, the same
// AutoDetectParser and body handler as `tika-app --text`), warmed up, and reports
// per file the best of REPEAT timed runs as JSON lines, like extract_corpus.
// Run by bench/extraction/run.sh as a single-file program:
//   java -cp tika-app-2.9.2.jar TikaCorpus.java OUT_DIR REPEAT CORPUS_DIR
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.tika.Tika;
import org.apache.tika.metadata.Metadata;

public class TikaCorpus {
  static String extract(Tika tika, Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      Metadata metadata = new Metadata();
      metadata.set("resourceName", file.getFileName().toString());
      return tika.parseToString(in, metadata);
    }
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
  }

  public static void main(String[] args) throws Exception {
    Path out = Paths.get(args[0]);
    int repeat = Integer.parseInt(args[1]);
    Path root = Paths.get(args[2]);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    Tika tika = new Tika();
    tika.setMaxStringLength(-1);
    for (int round = 0; round < 2; ++round) {  // warm-up: JIT and class loading
      for (Path file : files) {
        try { extract(tika, file); } catch (Throwable e) { }
      }
    }
    for (Path file : files) {
      String name = root.relativize(file).toString();
      String text = "";
      String error = null;
      double best = 1e9;
      for (int i = 0; i < repeat; ++i) {
        long start = System.nanoTime();
        try {
          text = extract(tika, file);
        } catch (Throwable e) {
          error = e.toString();
          text = "";
        }
        best = Math.min(best, (System.nanoTime() - start) / 1e9);
      }
      Path textPath = out.resolve(name + ".txt");
      Files.createDirectories(textPath.getParent());
      Files.write(textPath, text.getBytes(StandardCharsets.UTF_8));
      System.out.println("{\"file\": " + quote(name) + ", \"bytes\": " + Files.size(file)
          + ", \"seconds\": " + best + ", \"chars\": " + text.length()
          + (error == null ? "" : ", \"error\": " + quote(error)) + "}");
    }
    long hwm = 0;
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    System.out.println("{\"peak_rss_kib\": " + hwm + "}");
  }
}
