package io.routeagent.kernel;

import io.routeagent.netlink.MessageBuilder;
import io.routeagent.netlink.Netlink;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;

/**
 * One change to send: install (create or replace, so a race with another writer still ends in our
 * route), create only, or delete.
 */
public record RouteRequest(Kind kind, RouteMessage route) implements KernelRequest {
  public enum Kind {
    INSTALL(Rtnetlink.RTM_NEWROUTE, Netlink.NLM_F_CREATE | Netlink.NLM_F_REPLACE),
    /**
     * Adds where the kernel holds no route with the key, else EEXIST: for a route sent without a
     * fresh read of the table, which must not replace what another program may have put there.
     */
    CREATE(Rtnetlink.RTM_NEWROUTE, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL),
    DELETE(Rtnetlink.RTM_DELROUTE, 0);

    final int messageType;
    final int flags;

    Kind(int messageType, int flags) {
      this.messageType = messageType;
      this.flags = flags;
    }
  }

  @Override
  public void encode(MessageBuilder builder, int seq) {
    route.encode(builder, kind.messageType, Netlink.NLM_F_REQUEST | kind.flags, seq);
  }
}
