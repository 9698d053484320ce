package io.routeagent.testing;

import io.routeagent.kernel.KernelEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What a {@link FakeKernel} told of its changes, as the event socket would have read it. */
public final class Notifications implements Consumer<KernelEvent> {
  private final List<KernelEvent> events = new ArrayList<>();

  @Override
  public synchronized void accept(KernelEvent event) {
    events.add(event);
  }

  /** The route notifications since the last call or {@link #clear}; every notification is then forgotten. */
  public synchronized List<KernelEvent.RouteChanged> routes() {
    List<KernelEvent.RouteChanged> routes = new ArrayList<>();
    for (KernelEvent event : events) {
      if (event instanceof KernelEvent.RouteChanged route) {
        routes.add(route);
      }
    }
    events.clear();
    return routes;
  }

  public synchronized void clear() {
    events.clear();
  }
}
