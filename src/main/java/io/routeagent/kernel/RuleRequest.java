package io.routeagent.kernel;

import io.routeagent.netlink.MessageBuilder;
import io.routeagent.netlink.Netlink;
import io.routeagent.netlink.RuleMessage;
import io.routeagent.netlink.Rtnetlink;

/**
 * One rule change. Rules have no replace: the kernel keeps duplicates side by side, so an add is
 * exclusive (EEXIST rather than a second copy) and a change is a delete followed by an add.
 */
public record RuleRequest(Kind kind, RuleMessage rule) implements KernelRequest {
  public enum Kind {
    ADD(Rtnetlink.RTM_NEWRULE, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL),
    DELETE(Rtnetlink.RTM_DELRULE, 0);

    final int messageType;
    final int flags;

    Kind(int messageType, int flags) {
      this.messageType = messageType;
      this.flags = flags;
    }
  }

  @Override
  public void encode(MessageBuilder builder, int seq) {
    rule.encode(builder, kind.messageType, Netlink.NLM_F_REQUEST | kind.flags, seq);
  }
}
