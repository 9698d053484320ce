package io.routeagent.state;

import io.routeagent.reconcile.DisplacedRoutes;
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
public final class DisplacedRouteFile extends RecordFile<DisplacedRoutes> {
  private static final String SUFFIX = ".displaced-routes";

  public DisplacedRouteFile(Path file, Consumer<String> warnings) {
    super(file, warnings, "the record of displaced routes", DisplacedRoutes::parse, DisplacedRoutes::format,
        DisplacedRoutes.EMPTY,
        "routes of other owners that the agent replaced are not shown, nor put back by this process",
        "the routes it held are not put back when their entries go", "");
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
}
