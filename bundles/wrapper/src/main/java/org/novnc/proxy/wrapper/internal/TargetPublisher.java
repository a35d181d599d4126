package org.novnc.proxy.wrapper.internal;

import java.util.Collection;
import java.util.Hashtable;
import java.util.function.BooleanSupplier;
import org.novnc.proxy.relay.TargetEndpoint;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a wrapper's target as a {@link TargetEndpoint} service named
 * {@code novnc.target.name=NAME}, which relays with {@code target = wrapper:NAME} follow. An
 * endpoint is withdrawn as soon as its command stops listening (exit, respawn), so nothing else
 * bound on that port afterwards is ever reached through it.
 *
 * <p>Service properties: {@code novnc.target.name}, {@code novnc.target.host},
 * {@code novnc.target.port} (the moved port), {@code novnc.target.pid} (the command's process),
 * {@code novnc.target.command}, {@code novnc.wrapper.port} (the port the command binds),
 * {@code novnc.wrapper.mode} and {@code novnc.wrapper.id} (the value of {@code NOVNC_WRAPPER_ID}
 * in every process of this wrapper).
 */
final class TargetPublisher implements CommandSupervisor.Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(TargetPublisher.class);

  /** The endpoint of one run of the command; available while the command holds its listening socket. */
  record Endpoint(String host, int port, BooleanSupplier serving) implements TargetEndpoint {
    @Override
    public boolean available() {
      return serving.getAsBoolean();
    }

    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private final BundleContext context;
  private final String pid;
  private final WrapperSettings settings;
  private final ProcessMarker marker;
  private ServiceRegistration<TargetEndpoint> registration;

  TargetPublisher(BundleContext context, String pid, WrapperSettings settings, ProcessMarker marker) {
    this.context = context;
    this.pid = pid;
    this.settings = settings;
    this.marker = marker;
  }

  @Override
  public synchronized void publish(String host, int port, long processId, BooleanSupplier serving) {
    warnIfNameTaken();
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(TargetEndpoint.NAME_PROPERTY, settings.name());
    props.put("novnc.target.host", host);
    props.put("novnc.target.port", port);
    props.put("novnc.target.pid", processId);
    props.put("novnc.target.command", settings.command());
    props.put("novnc.wrapper.port", settings.port());
    props.put("novnc.wrapper.mode", settings.mode().key());
    props.put("novnc.wrapper.id", marker.id());
    props.put(Constants.SERVICE_DESCRIPTION, "novnc-proxy wrapped command '" + settings.name() + "' (" + pid + ")");
    ServiceRegistration<TargetEndpoint> old = registration;
    try {
      registration = context.registerService(TargetEndpoint.class, new Endpoint(host, port, serving), props);
    } catch (IllegalStateException e) {
      registration = null; // the bundle is stopping: the wrapper is being stopped too
    }
    unregister(old);
  }

  @Override
  public synchronized void withdraw() {
    unregister(registration);
    registration = null;
  }

  private static void unregister(ServiceRegistration<?> r) {
    if (r != null) {
      try {
        r.unregister();
      } catch (IllegalStateException e) {
        // already gone with the bundle
      }
    }
  }

  /** Two wrappers with one name would leave relays picking one of them: say so. */
  private void warnIfNameTaken() {
    Collection<ServiceReference<TargetEndpoint>> others;
    try {
      others = context.getServiceReferences(TargetEndpoint.class,
          "(" + TargetEndpoint.NAME_PROPERTY + "=" + settings.name() + ")");
    } catch (InvalidSyntaxException | IllegalStateException e) {
      return; // the name is checked to be filter-safe; a stopped context publishes nothing anyway
    }
    for (ServiceReference<TargetEndpoint> ref : others) {
      if (registration == null || !ref.equals(registration.getReference())) {
        LOG.warn("{}: another target is also named '{}' ({}); relays with target = wrapper:{} use one of them",
            pid, settings.name(), ref.getProperty(Constants.SERVICE_DESCRIPTION), settings.name());
        return;
      }
    }
  }
}
