package io.routeagent.testing;

import io.routeagent.cli.Main;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.KernelRequest;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.kernel.RequestOutcome;
import io.routeagent.kernel.RouteKernel;
import io.routeagent.kernel.RuleRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a kernel look like one before 4.17, which neither keeps nor reports FRA_PROTOCOL on
 * rules: the attribute is dropped from every dumped rule and from every rule sent. For tests of
 * the record of owned rules on a current kernel: {@link #main} is route-agent's command line over
 * such a kernel.
 */
public final class WithoutRuleProtocol implements RouteKernel {
  private final RouteKernel kernel;

  public WithoutRuleProtocol(RouteKernel kernel) {
    this.kernel = kernel;
  }

  /** route-agent's command line, over a kernel before 4.17. */
  public static void main(String[] args) {
    System.exit(Main.run(WithoutRuleProtocol::new, args));
  }

  /** A snapshot as a kernel before 4.17 would have dumped it. */
  public static KernelSnapshot strip(KernelSnapshot snapshot) {
    return new KernelSnapshot(snapshot.links(), snapshot.addresses(), snapshot.routes(),
        snapshot.rules().stream().map(r -> r.withoutProtocol()).toList());
  }

  @Override
  public KernelSnapshot snapshot() throws KernelException {
    return strip(kernel.snapshot());
  }

  @Override
  public List<RequestOutcome> execute(List<? extends KernelRequest> requests) throws KernelException {
    List<KernelRequest> stripped = new ArrayList<>(requests.size());
    for (KernelRequest request : requests) {
      stripped.add(request instanceof RuleRequest r ? new RuleRequest(r.kind(), r.rule().withoutProtocol()) : request);
    }
    return kernel.execute(stripped);
  }
}
