package io.routeagent.config;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance for each gateway and each {@code dev} text of the entries read with it: a table of
 * 10,000 routes through one router on one interface would otherwise hold 10,000 equal copies of
 * both for as long as the daemon keeps the config (about 1.4 MB of its heap). The values are
 * immutable, so sharing them changes nothing else. Not thread-safe: one per reading thread.
 */
final class SharedValues {
  private final Map<String, Gateway> gateways = new HashMap<>();
  private final Map<String, DeviceSelector> devices = new HashMap<>();

  /** As {@link Values#gateway}; a bad value throws {@link BadValue} each time and is not kept. */
  Gateway gateway(String text) {
    return gateways.computeIfAbsent(text, Values::gateway);
  }

  /** As {@link Values#device}; a bad value throws {@link BadValue} each time and is not kept. */
  DeviceSelector device(String text) {
    return devices.computeIfAbsent(text, Values::device);
  }
}
