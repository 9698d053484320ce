package io.routeagent.kernel;

import io.routeagent.netlink.MessageBuilder;

/** One change for {@link RouteKernel#execute}: it knows its message type, flags and body. */
public sealed interface KernelRequest permits RouteRequest, RuleRequest {
  /** Appends the request as one netlink message with {@code NLM_F_REQUEST} and its own flags. */
  void encode(MessageBuilder builder, int seq);
}
