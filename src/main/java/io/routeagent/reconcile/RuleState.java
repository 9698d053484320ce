package io.routeagent.reconcile;

import java.util.Locale;

/**
 * Where a desired rule stands against the kernel: the states a rule can have. Never waiting (the
 * kernel takes a rule naming an absent interface, and it applies once the interface appears),
 * unreachable or degraded (a rule has no gateway or next hops); the words are a route's.
 */
public enum RuleState {
  /** In the kernel as desired, owned by us. */
  INSTALLED,
  /** Not in the kernel; an apply adds it. */
  MISSING,
  /** A rule with its key is in the kernel with other attributes; an apply replaces it. */
  DRIFTED,
  /** Refused by a guard rail that needs the kernel's view (a connected subnet). */
  REFUSED,
  /** The kernel refused it when applied. */
  FAILED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
