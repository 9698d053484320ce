package io.routeagent.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.reconcile.DisplacedRoutes;
import io.routeagent.reconcile.OwnedRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records on disk (their text is {@code reconcile.OwnedRulesTest}'s): written whole, named after
 * the namespace, and every warning word for word.
 */
class RuleRecordFileTest {
  static final String HEADER = "route-agent owned rules 1\n";
  static final String FROM_SUBNET =
      "inet priority=1000 from=172.31.64.0/20 to= iif= oif= fwmark=0x0 fwmask=0x0 table=100 action=1\n";
  static final String PROHIBIT =
      "inet6 priority=900 from=2001:db8::/32 to= iif= oif= fwmark=0x0 fwmask=0x0 table=0 action=8\n";
  static final OwnedRules ONE = OwnedRules.parse(HEADER + FROM_SUBNET);
  static final OwnedRules TWO = OwnedRules.parse(HEADER + FROM_SUBNET + PROHIBIT);
  final List<String> warnings = new ArrayList<>();

  @Test
  void theFileIsReplacedWholeAndLeavesNoTemporaryBehind(@TempDir Path dir) throws Exception {
    RuleRecordFile file = new RuleRecordFile(dir.resolve("sub/net-1.owned-rules"), w -> {
      throw new AssertionError(w);
    });
    assertThat(file.load()).isEqualTo(OwnedRules.EMPTY);
    file.save(TWO);
    file.save(ONE);
    assertThat(file.load()).isEqualTo(ONE);
    try (var listing = Files.list(dir.resolve("sub"))) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("net-1.owned-rules");
    }
  }

  @Test
  void theRecordIsNamedAfterTheNetworkNamespace(@TempDir Path dir) {
    assertThat(RuleRecordFile.inDirectory(dir, "net-4026531840", w -> {}).path())
        .isEqualTo(dir.resolve("net-4026531840.owned-rules"));
  }

  @Test
  void aCorruptRecordIsReadAsEmptyWithAWarningThatSaysWhatFollows(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("net-1.owned-rules");
    Path routes = dir.resolve("net-1.displaced-routes");
    Files.writeString(rules, "garbage\n");
    Files.writeString(routes, "garbage\n");
    assertThat(new RuleRecordFile(rules, warnings::add).load()).isEqualTo(OwnedRules.EMPTY);
    assertThat(new DisplacedRouteFile(routes, warnings::add).load().isEmpty()).isTrue();
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).startsWith("the record of owned rules " + rules + " is corrupt (")
        .endsWith("); it is ignored: no rule is pruned on its word, and the next change rewrites it");
    assertThat(warnings.get(1)).startsWith("the record of displaced routes " + routes + " is corrupt (")
        .endsWith("); it is ignored: the routes it held are not put back when their entries go");
  }

  @Test
  void aRecordThatCannotBeReadOrWrittenIsAWarningNamingTheFile(@TempDir Path dir) throws Exception {
    Path notADirectory = dir.resolve("not-a-directory");
    Files.writeString(notADirectory, "");
    Path rules = notADirectory.resolve("net-1.owned-rules");
    Path routes = notADirectory.resolve("net-1.displaced-routes");
    RuleRecordFile ruleFile = new RuleRecordFile(rules, warnings::add);
    DisplacedRouteFile routeFile = new DisplacedRouteFile(routes, warnings::add);
    assertThat(ruleFile.where()).isEqualTo(rules.toString());
    assertThat(routeFile.where()).isEqualTo(routes.toString());

    ruleFile.trySave(ONE);
    routeFile.trySave(DisplacedRoutes.EMPTY);
    assertThat(ruleFile.load()).isEqualTo(OwnedRules.EMPTY);
    assertThat(warnings).hasSize(3);
    assertThat(warnings.get(0)).startsWith("cannot write the record of owned rules " + rules + ": ")
        .contains("not-a-directory").endsWith("; on this kernel (no FRA_PROTOCOL) a rule installed now is not"
            + " pruned when dropped from the routes file");
    assertThat(warnings.get(1)).startsWith("cannot write the record of displaced routes " + routes + ": ")
        .contains("not-a-directory");
    assertThat(warnings.get(2)).startsWith("cannot read the record of owned rules " + rules + ": ")
        .endsWith("; it is ignored");
  }

  @Test
  void aRecordThatCannotBeReadSaysTheErrnoNotJavasException(@TempDir Path dir) throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "");
    Path routes = notADirectory.resolve("net-1.displaced-routes");
    assertThat(new DisplacedRouteFile(routes, warnings::add).load().isEmpty()).isTrue();
    assertThat(warnings).containsExactly(
        "cannot read the record of displaced routes " + routes + ": ENOTDIR Not a directory; it is ignored");
  }

  @Test
  void aRecordThatIsNotUtf8IsCorruptAtItsFirstByteThatIsNot(@TempDir Path dir) throws Exception {
    Path routes = dir.resolve("net-1.displaced-routes");
    Files.write(routes, new byte[] {'a', 'b', (byte) 0xff, '\n'});
    assertThat(new DisplacedRouteFile(routes, warnings::add).load().isEmpty()).isTrue();
    assertThat(warnings).containsExactly("the record of displaced routes " + routes + " is corrupt (not UTF-8 text at"
        + " byte offset 2); it is ignored: the routes it held are not put back when their entries go");
  }

  @Test
  void aRecordThatCannotBeWrittenSaysWhichPathFailedAndItsErrno(@TempDir Path dir) throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "");
    Path routes = notADirectory.resolve("net-1.displaced-routes");
    new DisplacedRouteFile(routes, warnings::add).trySave(DisplacedRoutes.EMPTY);
    Path occupied = dir.resolve("net-1.displaced-routes");
    Files.createDirectory(dir.resolve(".net-1.displaced-routes.tmp"));
    new DisplacedRouteFile(occupied, warnings::add).trySave(DisplacedRoutes.EMPTY);
    assertThat(warnings).containsExactly(
        "cannot write the record of displaced routes " + routes + ": " + notADirectory
            + ": it cannot be made a directory: EEXIST File exists",
        "cannot write the record of displaced routes " + occupied + ": " + dir.resolve(".net-1.displaced-routes.tmp")
            + ": it cannot be opened for writing: EISDIR Is a directory");
  }
}
