package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableNamesTest {
  @TempDir Path root;

  private Path write(String name, String text) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private RtTables read() {
    return RtTables.read(root.resolve("etc"), root.resolve("usr"));
  }

  @Test
  void builtInNamesAreAlwaysKnown() {
    TableNames names = TableNames.of(Map.of("main", 7L));
    assertThat(names.lookup("main")).isEqualTo(OptionalLong.of(254));
    assertThat(names.lookup("default")).isEqualTo(OptionalLong.of(253));
    assertThat(names.lookup("local")).isEqualTo(OptionalLong.of(255));
    assertThat(names.lookup("nope")).isEmpty();
    assertThat(read().lookup("main")).isEqualTo(OptionalLong.of(254));
  }

  @Test
  void readsNumbersNamesAndComments() throws IOException {
    write(
        "etc/rt_tables",
        """
        #
        # reserved values
        #
        255	local
        0	unspec
        100 vpc   # the VPC table
        0x10 hex
          200   indented
        junk line
        -5 negative
        4294967296 toolarge
        300
        """);
    RtTables names = read();
    assertThat(names.lookup("vpc")).isEqualTo(OptionalLong.of(100));
    assertThat(names.lookup("hex")).isEqualTo(OptionalLong.of(16));
    assertThat(names.lookup("indented")).isEqualTo(OptionalLong.of(200));
    assertThat(names.lookup("unspec")).isEqualTo(OptionalLong.of(0));
    assertThat(names.lookup("line")).isEmpty();
    assertThat(names.lookup("negative")).isEmpty();
    assertThat(names.lookup("toolarge")).isEmpty();
  }

  @Test
  void fallsBackToUsrShareAndReadsBothDropInDirectories() throws IOException {
    write("usr/rt_tables", "1 fromusr\n");
    write("usr/rt_tables.d/a.conf", "2 usronly\n");
    write("usr/rt_tables.d/b.conf", "3 shadowed\n");
    write("etc/rt_tables.d/b.conf", "4 shadowing\n");
    write("etc/rt_tables.d/c.conf", "5 etconly\n");
    write("etc/rt_tables.d/d.txt", "6 ignored\n");
    RtTables names = read();
    assertThat(names.lookup("fromusr")).isEqualTo(OptionalLong.of(1));
    assertThat(names.lookup("usronly")).isEqualTo(OptionalLong.of(2));
    assertThat(names.lookup("shadowed")).isEmpty();
    assertThat(names.lookup("shadowing")).isEqualTo(OptionalLong.of(4));
    assertThat(names.lookup("etconly")).isEqualTo(OptionalLong.of(5));
    assertThat(names.lookup("ignored")).isEmpty();
  }

  @Test
  void etcRtTablesHidesTheUsrOne() throws IOException {
    write("usr/rt_tables", "1 fromusr\n");
    write("etc/rt_tables", "2 frometc\n");
    assertThat(read().lookup("fromusr")).isEmpty();
    assertThat(read().lookup("frometc")).isEqualTo(OptionalLong.of(2));
  }

  @Test
  void theSystemFilesLoad() {
    assertThat(TableNames.system().lookup("main")).isEqualTo(OptionalLong.of(254));
  }
}
