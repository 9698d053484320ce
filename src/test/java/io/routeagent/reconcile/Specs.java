package io.routeagent.reconcile;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.DeviceSelector;
import io.routeagent.config.Gateway;
import io.routeagent.config.Location;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RouteType;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.util.List;
import java.util.OptionalInt;

/** Desired routes for planner tests, built without the YAML parser. */
final class Specs {
  private Specs() {}

  static RouteSpec via(String to, String gateway, String dev) {
    return spec(to, gateway == null ? null : new Gateway.Address(IpAddresses.parse(gateway).orElseThrow()),
        dev, OptionalInt.empty(), RouteType.UNICAST);
  }

  static RouteSpec spec(String to, Gateway via, String dev, OptionalInt metric, RouteType type) {
    return spec(to, via, dev == null ? null : new DeviceSelector.Name(dev), metric, type);
  }

  static RouteSpec spec(String to, Gateway via, DeviceSelector dev, OptionalInt metric, RouteType type) {
    return new RouteSpec(new Location("routes.yaml", 1, 1), IpPrefix.parse(to).prefix(), via, dev,
        metric, RouteSpec.TABLE_MAIN, type, null, OptionalInt.empty(), false, false, List.of());
  }

  static DesiredConfig config(RouteSpec... specs) {
    return new DesiredConfig(List.of(specs), List.of());
  }
}
