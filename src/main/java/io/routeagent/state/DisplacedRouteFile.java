package io.routeagent.state;

import io.routeagent.reconcile.DisplacedRoutes;
import io.routeagent.reconcile.StateRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The record of displaced routes on disk, beside the record of owned rules and named like it
 * ({@code net-4026531840.displaced-routes}), written as {@link StateFile} writes: a crash (kill -9
 * between an adoption and the entry's removal) leaves the old record or the new one, and the next
 * process still puts the route back.
 *
 * <p>A record that cannot be read is reported through the warning sink and read as empty: the
 * routes it held are then deleted, not restored, when their entries leave the file, as before the
 * record existed; refusing to start would leave drift unrepaired over a file that only a hand edit
 * or a disk fault can damage.
 */
public final class DisplacedRouteFile implements StateRecord<DisplacedRoutes> {
  private static final String SUFFIX = ".displaced-routes";

  private final Path file;
  private final Consumer<String> warnings;

  public DisplacedRouteFile(Path file, Consumer<String> warnings) {
    this.file = file;
    this.warnings = warnings;
  }

  /**
   * A network namespace's record in {@code directory}: agents in different namespaces manage
   * different tables.
   *
   * @param namespace the namespace's name, such as "net-4026531840"
   */
  public static DisplacedRouteFile inDirectory(Path directory, String namespace, Consumer<String> warnings) {
    return new DisplacedRouteFile(directory.resolve(namespace + SUFFIX), warnings);
  }

  public Path path() {
    return file;
  }

  @Override
  public String where() {
    return file.toString();
  }

  /** The record; empty when there is none yet, or (with a warning) when it cannot be read. */
  @Override
  public DisplacedRoutes load() {
    return StateFile.read(file, "the record of displaced routes", DisplacedRoutes::parse, DisplacedRoutes.EMPTY, warnings,
        "routes of other owners that the agent replaced are not shown, nor put back by this process",
        "the routes it held are not put back when their entries go");
  }

  /** Replaces the record, atomically and durably. */
  @Override
  public void save(DisplacedRoutes routes) throws IOException {
    StateFile.replace(file, routes.format());
  }

  /** Saves, or says through the warning sink why it could not. */
  @Override
  public void trySave(DisplacedRoutes routes) {
    try {
      save(routes);
    } catch (IOException e) {
      warnings.accept("cannot write the record of displaced routes " + file + ": " + e);
    }
  }
}
