package io.routeagent.config;

import java.util.Locale;
import java.util.Optional;

/** The route types a routes file may declare, named as {@code ip route} names them. */
public enum RouteType {
  UNICAST,
  BLACKHOLE,
  UNREACHABLE,
  PROHIBIT,
  THROW;

  private static final RouteType[] ALL = values();

  private final String keyword = name().toLowerCase(Locale.ROOT);

  public String keyword() {
    return keyword;
  }

  public static Optional<RouteType> fromKeyword(String word) {
    for (RouteType t : ALL) {
      if (t.keyword.equals(word)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Types that reject traffic: they take neither gateway nor device. */
  public boolean isReject() {
    return this != UNICAST;
  }
}
