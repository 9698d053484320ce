package io.routeagent.config;

import java.util.Locale;
import java.util.Optional;

/** What a policy rule does with the packets it selects, named as {@code ip rule} names it. */
public enum RuleAction {
  /** Look the packet up in the rule's table ({@code FR_ACT_TO_TBL}). */
  LOOKUP,
  BLACKHOLE,
  UNREACHABLE,
  PROHIBIT;

  /**
   * The route type that drops packets as this action does, by which a policy's {@code allow.types}
   * holds it; null for {@link #LOOKUP}, which drops nothing itself.
   */
  public RouteType dropType() {
    return switch (this) {
      case LOOKUP -> null;
      case BLACKHOLE -> RouteType.BLACKHOLE;
      case UNREACHABLE -> RouteType.UNREACHABLE;
      case PROHIBIT -> RouteType.PROHIBIT;
    };
  }

  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RuleAction> fromKeyword(String word) {
    for (RuleAction a : values()) {
      if (a.keyword().equals(word)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
