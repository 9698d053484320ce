package io.routeagent.reconcile;

import io.routeagent.kernel.FileAccessException;

/**
 * Where the reconciler keeps one of its records (owned rules, displaced routes) across processes:
 * in the daemon, a file per network namespace in the state directory ({@code state.RuleRecordFile},
 * {@code state.DisplacedRouteFile}). The records themselves, and their text, are this package's
 * ({@link OwnedRules}, {@link DisplacedRoutes}); how and where they are stored is not.
 *
 * @param <T> the record
 */
public interface StateRecord<T> {
  /** The record; empty when there is none yet, or (with a warning) when it cannot be read. */
  T load();

  /**
   * Replaces the record, atomically and durably: a reader finds the old record or the new one.
   *
   * @throws FileAccessException saying which path failed and its errno
   */
  void save(T record) throws FileAccessException;

  /** Saves, or says through the warning sink why it could not. */
  void trySave(T record);

  /** Where the record is kept, for messages: a file's path. */
  String where();
}
