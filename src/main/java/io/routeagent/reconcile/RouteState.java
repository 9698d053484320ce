package io.routeagent.reconcile;

import java.util.Locale;

/** Where a desired route stands against the kernel. */
public enum RouteState {
  /** In the kernel as desired, owned by us. */
  INSTALLED,
  /**
   * A multipath route in the kernel, owned by us, carrying traffic through some of its next hops
   * while others are down (the kernel marks them dead or linkdown) or not installed yet (their
   * interface is absent, down or without an address; their gateway is off the link): available,
   * so no problem for /healthz, but not all there.
   */
  DEGRADED,
  /** Not in the kernel; an apply adds it. */
  MISSING,
  /** A route with its key is in the kernel with other attributes or another owner; an apply replaces it. */
  DRIFTED,
  /** Cannot be installed yet (interface absent or down, no address yet): the normal state until it can. */
  WAITING,
  /**
   * Its gateway is on no subnet its interface reaches directly: the kernel would refuse it, and no
   * waiting mends that; the routes file must change (or say {@code onlink: true}).
   */
  UNREACHABLE,
  /** Refused by a guard rail that needs the kernel's view (a connected subnet). */
  REFUSED,
  /** The kernel refused it when applied. */
  FAILED;

  /** Refused or unreachable: cannot be installed as written, whatever happens; the routes file must change. */
  public boolean blocked() {
    return this == REFUSED || this == UNREACHABLE;
  }

  /** In the kernel and carrying traffic: installed, or degraded (some next hops down). */
  public boolean present() {
    return this == INSTALLED || this == DEGRADED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
