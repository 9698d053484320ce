package io.routeagent.state;

import io.routeagent.reconcile.OwnedRules;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The record of owned rules on disk: one file per network namespace in the state directory, named
 * like the daemon's lock ({@code net-4026531840.owned-rules}), since agents in different
 * namespaces own different rules.
 *
 * <p>Crash-safe: written as {@link StateFile} writes, so that a reader finds the old record or the
 * new one, never half of one.
 *
 * <p>A record that cannot be read (corrupt, or not readable by this user) is reported through the
 * warning sink and read as empty. That errs on the safe side: a rule the record no longer vouches
 * for looks foreign, so it is never pruned, and a desired one is adopted again and recorded anew
 * by the next write. Refusing to start instead would leave drift unrepaired over a file that only
 * a hand edit or a disk fault can damage.
 */
public final class RuleRecordFile extends RecordFile<OwnedRules> {
  private static final String SUFFIX = ".owned-rules";

  public RuleRecordFile(Path file, Consumer<String> warnings) {
    super(file, warnings, "the record of owned rules", OwnedRules::parse, OwnedRules::format, OwnedRules.EMPTY,
        "on this kernel (no FRA_PROTOCOL) the agent's rules show as foreign",
        "no rule is pruned on its word, and the next change rewrites it",
        "; on this kernel (no FRA_PROTOCOL) a rule installed now is not pruned when dropped from the routes file");
  }

  /**
   * A network namespace's record in {@code directory}: agents in different namespaces manage
   * different tables.
   *
   * @param namespace the namespace's name, such as "net-4026531840"
   */
  public static RuleRecordFile inDirectory(Path directory, String namespace, Consumer<String> warnings) {
    return new RuleRecordFile(directory.resolve(namespace + SUFFIX), warnings);
  }
}
