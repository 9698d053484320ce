package io.routeagent.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The keys of a route entry, with the kind of YAML value each takes. */
enum RouteField {
  TO("to", Kind.TEXT),
  VIA("via", Kind.TEXT),
  DEV("dev", Kind.TEXT),
  METRIC("metric", Kind.NUMBER),
  TABLE("table", Kind.TEXT_OR_NUMBER),
  TYPE("type", Kind.TEXT),
  SRC("src", Kind.TEXT),
  MTU("mtu", Kind.NUMBER),
  ONLINK("onlink", Kind.FLAG),
  OVERRIDE("override", Kind.FLAG),
  /** A list of next hops, each a mapping of {@link #HOP_FIELDS}. */
  NEXTHOPS("nexthops", Kind.LIST),
  /** A next hop's; refused on the route itself with a pointer to {@code nexthops}. */
  WEIGHT("weight", Kind.NUMBER);

  /** The keys of one next hop, in a {@code nexthops} mapping or after {@code nexthop}. */
  static final List<RouteField> HOP_FIELDS = List.of(VIA, DEV, WEIGHT, ONLINK);

  static final List<String> HOP_KEYS = HOP_FIELDS.stream().map(f -> f.key).toList();

  enum Kind {
    TEXT,
    NUMBER,
    TEXT_OR_NUMBER,
    FLAG,
    LIST
  }

  static final List<String> KEYS = Arrays.stream(values()).map(f -> f.key).toList();

  private static final Map<String, RouteField> BY_KEY =
      Arrays.stream(values()).collect(Collectors.toMap(f -> f.key, Function.identity()));

  final String key;
  final Kind kind;

  RouteField(String key, Kind kind) {
    this.key = key;
    this.kind = kind;
  }

  static Optional<RouteField> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }
}
