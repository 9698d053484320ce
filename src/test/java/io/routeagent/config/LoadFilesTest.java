package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConfigLoader#load} with real files: drop-ins, missing and unreadable files. */
class LoadFilesTest {
  private static final ConfigLoader LOADER = new ConfigLoader(TableNames.of(Map.of()));

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private List<ConfigProblem> problems(Path config) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> LOADER.load(config));
    assertThat(e).isNotNull();
    return e.problems();
  }

  @Test
  void mergesDropInsInNameOrder() throws Exception {
    Path config = write("routes.yaml", "routes:\n  - 10.0.0.0/16 via 172.31.64.1\n");
    Path b = write("routes.d/b.yaml", "routes:\n  - 10.2.0.0/16 dev eth2\n");
    Path a =
        write("routes.d/a.yaml", "routes:\n  - 10.1.0.0/16 dev eth2\n  - 10.3.0.0/16 dev eth2\n");
    write("routes.d/.c.yaml", "not: read\n");
    write("routes.d/d.yaml.bak", "not: read\n");
    write("routes.d/e.yml", "not: read\n");

    DesiredConfig config1 = LOADER.load(config);

    assertThat(config1.files()).containsExactly(config, a, b);
    assertThat(config1.routes())
        .extracting(r -> r.to().toString())
        .containsExactly("10.0.0.0/16", "10.1.0.0/16", "10.3.0.0/16", "10.2.0.0/16");
    assertThat(config1.routes().get(1).location()).isEqualTo(new Location(a.toString(), 2, 5));
  }

  @Test
  void noDropInDirectoryIsFine() throws Exception {
    Path config = write("routes.yaml", "routes: []\n");
    assertThat(LOADER.load(config).files()).containsExactly(config);
    assertThat(ConfigLoader.dropInDirectory(config)).isEqualTo(dir.resolve("routes.d"));
  }

  @Test
  void duplicatesAcrossFilesNameBothFiles() throws Exception {
    Path config = write("routes.yaml", "routes:\n  - 10.0.0.0/16 dev eth2\n");
    Path dropIn =
        write(
            "routes.d/extra.yaml",
            "routes:\n  - 10.9.0.0/16 dev eth2\n  - 10.0.0.0/16 via 1.2.3.4\n");
    ConfigProblem p = problems(config).get(0);
    assertThat(p.location()).isEqualTo(new Location(dropIn.toString(), 3, 5));
    assertThat(p.message()).contains("already declared at " + config + ":2:5");
  }

  @Test
  void aMissingRoutesFileSaysHowToCreateOne() {
    Path config = dir.resolve("routes.yaml");
    ConfigProblem p = problems(config).get(0);
    assertThat(p.location()).isNull();
    assertThat(p.toString())
        .startsWith(config + ": the file does not exist. Create it:")
        .contains("routes: []");
  }

  @Test
  void problemsOfEveryFileAreReported() throws Exception {
    Path config = write("routes.yaml", "");
    Path dropIn = write("routes.d/x.yaml", "routes:\n  - 10.0.0.1/8 dev eth0\n");
    assertThat(problems(config))
        .extracting(ConfigProblem::file)
        .containsExactly(config.toString(), dropIn.toString());
  }

  @Test
  void aDropInDirectoryThatIsAFile() throws Exception {
    Path config = write("routes.yaml", "routes: []\n");
    write("routes.d", "oops\n");
    assertThat(problems(config).get(0).toString())
        .startsWith(dir.resolve("routes.d") + ": it is a regular file, not a directory");
  }

  @Test
  void aDirectoryInsteadOfAFile() throws Exception {
    Path config = Files.createDirectories(dir.resolve("routes.yaml"));
    assertThat(problems(config).get(0).toString())
        .isEqualTo(config + ": it is a directory, not a regular file; the agent reads regular files only");
  }

  @Test
  void aDirectoryNamedLikeADropInIsAProblem() throws Exception {
    Path config = write("routes.yaml", "routes: []\n");
    Path dropIn = Files.createDirectories(dir.resolve("routes.d/f.yaml"));
    assertThat(problems(config).get(0).toString())
        .isEqualTo(dropIn + ": it is a directory, not a regular file; the agent reads regular files only");
  }

  @Test
  void invalidUtf8IsPlacedAtItsByte() throws Exception {
    Path config = dir.resolve("routes.yaml");
    byte[] head = "routes:\n  - 10.0.0.0/8 dev et".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 2];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xff;
    bytes[head.length + 1] = '\n';
    Files.write(config, bytes);
    ConfigProblem p = problems(config).get(0);
    assertThat(p.location()).isEqualTo(new Location(config.toString(), 2, 22));
    assertThat(p.message()).isEqualTo("the file is not valid UTF-8 text: byte 0xFF at offset 29");
  }

  @Test
  void aByteOrderMarkIsAllowed() throws Exception {
    Path config = dir.resolve("routes.yaml");
    Files.writeString(config, "\uFEFFroutes:\n  - 10.0.0.0/8 dev eth0\n");
    assertThat(LOADER.load(config).routes()).hasSize(1);
  }

  @Test
  void aFileOverTheLimitIsRefusedUnread() throws Exception {
    Path config = dir.resolve("routes.yaml");
    try (RandomAccessFile file = new RandomAccessFile(config.toFile(), "rw")) {
      file.setLength(ConfigLoader.MAX_FILE_SIZE + 1L); // sparse: no disk used
    }
    ConfigProblem p = problems(config).get(0);
    assertThat(p.toString())
        .isEqualTo(
            config
                + ": the file is larger than the limit of 8 MiB (8388609 bytes)."
                + " Split the routes into several files in routes.d/.");
  }

  /**
   * The security review's load of a thousand sparse 8 MiB drop-ins took 40 s: the files together
   * are held to {@link ConfigLoader#MAX_TOTAL_SIZE}, and the one that would pass it, and those
   * after it, are not read.
   */
  @Test
  void dropInsPastTheTotalLimitAreRefusedUnread() throws Exception {
    Path config = write("routes.yaml", "routes:\n  - 10.0.0.0/16 via 172.31.64.1\n");
    for (String name : List.of("a", "b", "c", "d")) {
      try (RandomAccessFile file = new RandomAccessFile(write("routes.d/" + name + ".yaml", "").toFile(), "rw")) {
        file.setLength(6L << 20); // sparse: no disk used
      }
    }
    List<String> problems = problems(config).stream().map(ConfigProblem::toString).toList();
    assertThat(problems).filteredOn(p -> p.contains("in all"))
        .containsExactly(dir.resolve("routes.d/c.yaml") + ": with this file the routes files hold more than 16 MiB"
            + " in all, the limit. Declare fewer routes, or merge drop-ins that repeat each other. The files"
            + " after this one were not read.");
    assertThat(problems).noneMatch(p -> p.contains("d.yaml"));
    assertThat(problems).anyMatch(p -> p.startsWith(dir.resolve("routes.d/b.yaml").toString()));
  }

  @Test
  void anEmptyDropInThatWasNotInForceIsSkipped() throws Exception {
    Path config = write("routes.yaml", "routes:\n  - 10.0.0.0/16 via 172.31.64.1\n");
    Path untitled = write("routes.d/untitled.yaml", "");
    Path comments = write("routes.d/notes.yaml", "# to do\n\n   \n");
    Path a = write("routes.d/a.yaml", "routes:\n  - 10.1.0.0/16 dev eth2\n");

    DesiredConfig loaded = LOADER.load(config);

    assertThat(loaded.files()).containsExactly(config, a);
    assertThat(loaded.skipped()).containsExactly(comments, untitled);
    assertThat(loaded.routes()).hasSize(2);
    // Still skipped when the configuration in force did not hold them either.
    assertThat(LOADER.load(config, loaded.files()).skipped()).containsExactly(comments, untitled);
  }

  @Test
  void anEmptyDropInWhoseRoutesAreInForceIsAnError() throws Exception {
    Path config = write("routes.yaml", "routes:\n  - 10.0.0.0/16 via 172.31.64.1\n");
    Path big = write("routes.d/big.yaml", "routes:\n  - 10.1.0.0/16 dev eth2\n");
    DesiredConfig inForce = LOADER.load(config);
    write("routes.d/big.yaml", ""); // cut by O_TRUNC, the new content not yet written

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> LOADER.load(config, inForce.files()));

    assertThat(e).isNotNull();
    assertThat(e.problems()).extracting(ConfigProblem::toString)
        .singleElement().asString().startsWith(big + ": the file is empty, and its routes are in force");
  }

  @Test
  void anEmptyRoutesFileStaysAnError() throws Exception {
    Path config = write("routes.yaml", "# nothing yet\n");
    assertThat(problems(config)).extracting(ConfigProblem::toString)
        .singleElement().asString().contains("the file is empty");
  }

  /**
   * Security review, finding 1: the daemon parsed the routes files at each write, a full parse of
   * 100,000 routes even when the same invalid bytes were written again. A load that reads the bytes
   * the last one read parses nothing now, valid or not; any other byte, file, policy or empty
   * drop-in's standing is a change.
   */
  @Test
  void aLoadOfTheSameBytesAsTheLastOneParsesNothing() throws Exception {
    Path config = write("routes.yaml", "routes:\n  - 10.0.0.0/33 via 172.31.64.1\n");
    ConfigLoader.LastRead last = new ConfigLoader.LastRead();
    assertThat(catchThrowableOfType(ConfigException.class, () -> LOADER.loadIfChanged(config, List.of(), last)))
        .as("the first load parses, and fails").isNotNull();
    assertThat(LOADER.loadIfChanged(config, List.of(), last)).as("the same invalid bytes again").isEmpty();

    write("routes.yaml", "routes:\n  - 10.0.0.0/16 via 172.31.64.1\n"); // as long as the invalid one
    assertThat(LOADER.loadIfChanged(config, List.of(), last)).isPresent();
    assertThat(LOADER.loadIfChanged(config, List.of(), last)).as("valid, the same").isEmpty();

    Path empty = write("routes.d/new.yaml", "");
    DesiredConfig skipping = LOADER.loadIfChanged(config, List.of(), last).orElseThrow();
    assertThat(skipping.skipped()).containsExactly(empty);
    assertThat(catchThrowableOfType(ConfigException.class,
        () -> LOADER.loadIfChanged(config, List.of(config, empty), last)))
        .as("the same bytes, but the empty drop-in is in force: an error").isNotNull();
    Files.delete(empty);
    assertThat(LOADER.loadIfChanged(config, List.of(), last)).as("a drop-in fewer").isPresent();

    ConfigLoader.LastRead forgotten = new ConfigLoader.LastRead();
    assertThat(LOADER.loadIfChanged(config, List.of(), forgotten)).isPresent();
    forgotten.forget();
    assertThat(LOADER.loadIfChanged(config, List.of(), forgotten)).as("forgotten: parsed again").isPresent();

    java.util.concurrent.atomic.AtomicReference<Policy> policy = new java.util.concurrent.atomic.AtomicReference<>(
        Policy.NONE);
    ConfigLoader limited = new ConfigLoader(TableNames.of(Map.of()), policy::get);
    assertThat(limited.loadIfChanged(config, List.of(), last)).as("the same policy, none").isEmpty();
    policy.set(Policy.parse("policy.yaml", "allow:\n  destinations: [10.0.0.0/8]\n", TableNames.of(Map.of())));
    assertThat(limited.loadIfChanged(config, List.of(), last)).as("another policy").isPresent();
  }
}
