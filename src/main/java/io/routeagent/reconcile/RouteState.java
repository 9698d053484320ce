package io.routeagent.reconcile;

import java.util.Locale;

/** Where a desired route stands against the kernel. */
public enum RouteState {
  /** In the kernel as desired, owned by us. */
  INSTALLED,
  /** Not in the kernel; an apply adds it. */
  MISSING,
  /** A route with its key is in the kernel with other attributes or another owner; an apply replaces it. */
  DRIFTED,
  /** Cannot be installed yet (interface absent or down, no address, gateway unreachable): the normal state until it can. */
  WAITING,
  /** Refused by a guard rail that needs the kernel's view (a connected subnet). */
  REFUSED,
  /** The kernel refused it when applied. */
  FAILED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
