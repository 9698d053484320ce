package io.routeagent.packaging;

import io.routeagent.testing.Commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tarball holds, and the C library its native code needs. */
class BundleIT {
  /** Amazon Linux 2's glibc: the oldest the bundle must start on. */
  private static final int[] GLIBC_MAX = {2, 26};
  private static final Pattern GLIBC = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  @TempDir Path dir;

  @Test
  void holdsTheRuntimeJarLauncherUnitScriptsAndExample() throws IOException {
    String name = Bundle.name();
    assertThat(name).matches("route-agent-[0-9][^/]*-linux-x86_64");
    Commands.Result list = Bundle.run(List.of("tar", "-tzvf", Bundle.tarball().toString()));
    assertThat(list.status()).as(list.output()).isZero();
    assertThat(list.output().lines().map(line -> line.substring(line.indexOf(name)))).contains(
        name + "/bin/route-agent",
        name + "/lib/route-agent.jar",
        name + "/lib/route-agent.aot",
        name + "/lib/route-agent-run.aot",
        name + "/lib/native/libjffi-1.2.so",
        name + "/runtime/bin/java",
        name + "/runtime/lib/server/libjvm.so",
        name + "/runtime/lib/modules",
        name + "/systemd/route-agent.service",
        name + "/systemd/route-agent.path",
        name + "/systemd/route-agent-directory.target",
        name + "/install.sh",
        name + "/uninstall.sh",
        name + "/lifecycle/on-start.sh",
        name + "/share/routes.example.yaml",
        name + "/share/rt_protos.conf",
        name + "/share/networkd.conf",
        name + "/share/sysusers.conf",
        name + "/share/man/man1/route-agent.1",
        name + "/share/bash-completion/completions/route-agent",
        name + "/MANIFEST",
        name + "/VERSION");
    // Every entry sits in the bundle's directory, owned by root.
    assertThat(list.output().lines()).allSatisfy(line -> assertThat(line).contains(" 0/0 ", " " + name));

    Path bundle = Bundle.unpack(dir);
    for (String script : List.of("bin/route-agent", "install.sh", "uninstall.sh", "lifecycle/on-start.sh")) {
      assertThat(Files.getPosixFilePermissions(bundle.resolve(script)))
          .as(script).contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
      assertThat(Files.readString(bundle.resolve(script))).as(script + " has CRLF line endings").doesNotContain("\r");
    }
    // Only the modules the agent needs: no desktop, no compiler, no JFR.
    String release = Files.readString(bundle.resolve("runtime/release"));
    assertThat(release).contains("JAVA_VERSION=\"25", "java.base", "jdk.unsupported")
        .doesNotContain("java.desktop", "jdk.compiler", "jdk.jfr");
    assertThat(bundle.resolve("runtime/include")).doesNotExist();
    assertThat(bundle.resolve("runtime/man")).doesNotExist();
    // The jffi stub is the jar's own x86_64 Linux one.
    try (ZipFile jar = new ZipFile(bundle.resolve("lib/route-agent.jar").toFile())) {
      ZipEntry entry = jar.getEntry("jni/x86_64-Linux/libjffi-1.2.so");
      assertThat(entry).as("the jar's jffi stub").isNotNull();
      try (InputStream in = jar.getInputStream(entry)) {
        assertThat(Files.readAllBytes(bundle.resolve("lib/native/libjffi-1.2.so"))).isEqualTo(in.readAllBytes());
      }
    }
    // install.sh trusts MANIFEST to tell an up-to-date installation.
    Commands.Result manifest = Bundle.run(List.of("sh", "-c", "cd '" + bundle + "' && sha256sum --strict -c MANIFEST"));
    assertThat(manifest.status()).as(manifest.output()).isZero();
  }

  @Test
  void manPageRendersAndCompletionIsTheBuildsFromTheSameModel() throws IOException {
    Path bundle = Bundle.unpack(dir);
    Path page = bundle.resolve("share/man/man1/route-agent.1");
    assertThat(page).hasSameTextualContentAs(Bundle.TARGET.resolve("docs/route-agent.1"));
    Commands.Result lint = Bundle.run(List.of("groff", "-man", "-Tutf8", "-ww", "-z", page.toString()));
    assertThat(lint.status()).as(lint.output()).isZero();
    assertThat(lint.output()).as("groff's warnings").isEmpty();
    Commands.Result man = Commands.run(List.of("man", "-l", page.toString()), java.util.Map.of("MANPAGER", "cat", "MANWIDTH", "100"), false);
    assertThat(man.status()).as(man.output()).isZero();
    assertThat(man.output().replaceAll(".\b", "")).contains("route-agent - keeps a declared set of Linux routes",
        "EXIT STATUS", "usage error").containsPattern("(?m)^ +route-agent apply$");
    Path completion = bundle.resolve("share/bash-completion/completions/route-agent");
    assertThat(completion).hasSameTextualContentAs(Bundle.TARGET.resolve("docs/route-agent.bash"));
    Commands.Result syntax = Bundle.run(List.of("bash", "-n", completion.toString()));
    assertThat(syntax.status()).as(syntax.output()).isZero();
    assertThat(Files.readString(completion)).contains("complete -F _complete_route-agent", "plan", "--json");
  }

  @Test
  void lifecycleScriptFitsSageMakersLimit() throws IOException {
    Path bundle = Bundle.unpack(dir);
    byte[] script = Files.readAllBytes(bundle.resolve("lifecycle/on-start.sh"));
    assertThat(script.length).as("on-start.sh must stay within 16,384 characters").isLessThanOrEqualTo(16_384);
    assertThat(new String(script, StandardCharsets.UTF_8)).startsWith("#!/bin/bash\n").doesNotContain("\r");
  }

  @Test
  void everyElfFileNeedsGlibc226OrOlder() throws IOException {
    Bundle.requireTool("objdump", "binutils");
    Path bundle = Bundle.unpack(dir);
    List<Path> elves = new ArrayList<>();
    try (Stream<Path> files = Files.walk(bundle)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (isElf(file)) {
          elves.add(file);
        }
      }
    }
    assertThat(elves.stream().map(p -> bundle.relativize(p).toString()))
        .contains("runtime/bin/java", "runtime/lib/server/libjvm.so", "lib/native/libjffi-1.2.so");

    int[] floor = {0, 0};
    List<String> tooNew = new ArrayList<>();
    for (Path elf : elves) {
      Commands.Result symbols = Bundle.run(List.of("objdump", "-T", elf.toString()));
      assertThat(symbols.status()).as(elf + ": " + symbols.output()).isZero();
      int[] needs = {0, 0};
      Matcher m = GLIBC.matcher(symbols.output());
      while (m.find()) {
        int[] version = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        needs = newer(needs, version);
      }
      floor = newer(floor, needs);
      if (Arrays.compare(needs, GLIBC_MAX) > 0) {
        tooNew.add(bundle.relativize(elf) + " needs GLIBC_" + needs[0] + "." + needs[1]);
      }
    }
    System.out.printf("glibc floor of the bundle: %d.%d (%d ELF files)%n", floor[0], floor[1], elves.size());
    assertThat(tooNew).as("ELF files that need a glibc newer than 2.26 (Amazon Linux 2)").isEmpty();
  }

  private static int[] newer(int[] a, int[] b) {
    return Arrays.compare(a, b) >= 0 ? a : b;
  }

  private static boolean isElf(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return Arrays.equals(magic, new byte[] {0x7f, 'E', 'L', 'F'});
    }
  }
}
