package io.routeagent.config;

import io.routeagent.net.IpAddresses;
import java.net.InetAddress;

/** The {@code via} of a route: an address, or the VPC router of the device's IPv4 subnet. */
public sealed interface Gateway {
  record Address(InetAddress address) implements Gateway {
    @Override
    public String toString() {
      return IpAddresses.format(address);
    }
  }

  /** The first host of the device's IPv4 subnet: the AWS VPC router convention. */
  record SubnetRouter() implements Gateway {
    @Override
    public String toString() {
      return "subnet-router";
    }
  }
}
