package io.routeagent.config;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.net.InetAddress;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Routes in the main table that could cut a notebook off its own service are refused unless the
 * entry says {@code override: true}. Other tables are only reached through rules the operator
 * declares, so they are left alone.
 */
public final class GuardRails {
  private GuardRails() {}

  static final String OVERRIDE_HINT =
      "If that is what you want, add `override: true` to the entry (or the word `override` to a"
          + " one-line route).";

  /** The instance metadata service: 169.254.169.254 and, on Nitro instances, fd00:ec2::254. */
  private static final List<InetAddress> METADATA =
      List.of(
          IpAddresses.parse("169.254.169.254").orElseThrow(),
          IpAddresses.parse("fd00:ec2::254").orElseThrow());

  private static final Set<RouteType> BLOCKING =
      EnumSet.of(RouteType.PROHIBIT, RouteType.BLACKHOLE, RouteType.UNREACHABLE);

  /**
   * Why {@code spec} may not be installed next to these directly connected subnets: a main-table
   * destination equal to or inside one of them would take local traffic off its link. A wider
   * prefix is fine, since the connected route stays more specific. Checked when planning, because
   * the connected subnets are the kernel's.
   *
   * @return the reason, with how to pass on purpose; empty when the route may be installed
   */
  public static Optional<String> connectedConflict(
      RouteSpec spec, Collection<IpPrefix> connectedSubnets) {
    if (exempt(spec)) {
      return Optional.empty();
    }
    for (IpPrefix subnet : connectedSubnets) {
      if (subnet.contains(spec.to())) {
        String relation = subnet.equals(spec.to()) ? " is" : " lies inside";
        return Optional.of(
            spec.to()
                + relation
                + " the directly connected subnet "
                + subnet
                + ": the route would take local traffic off its link. "
                + OVERRIDE_HINT);
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code spec} is refused whatever the kernel holds: a default route, or a destination
   * containing the metadata service.
   */
  static Optional<String> staticConflict(RouteSpec spec) {
    if (exempt(spec)) {
      return Optional.empty();
    }
    if (spec.to().isDefault()) {
      return Optional.of(
          "a default route in the main table would compete with the notebook's own default route"
              + " and could cut it off its service");
    }
    for (InetAddress metadata : METADATA) {
      if (spec.to().contains(metadata)) {
        return Optional.of(
            spec.to()
                + " contains the instance metadata service "
                + IpAddresses.format(metadata)
                + ": routing it elsewhere would cut the notebook off its instance metadata"
                + " (credentials, identity)");
      }
    }
    return Optional.empty();
  }

  private static boolean exempt(RouteSpec spec) {
    return spec.table() != RouteSpec.TABLE_MAIN || spec.override() || blocksMetadata(spec);
  }

  /** Blocking the metadata service itself, and nothing else, is a deliberate choice. */
  private static boolean blocksMetadata(RouteSpec spec) {
    return BLOCKING.contains(spec.type())
        && spec.to().isHost()
        && METADATA.contains(spec.to().address());
  }
}
