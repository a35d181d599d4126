package org.novnc.proxy.itests;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The relay's {@code WebContent} service, read by reflection: this test module compiles against
 * the codec only, and the service's types come from the relay bundle inside Karaf.
 */
final class WebContentView {
  static final String WEB_CONTENT = "org.novnc.proxy.relay.WebContent";
  static final String WEB_RESOURCE = "org.novnc.proxy.relay.WebResource";

  private final Object service;
  private final Method find;
  private final Class<?> resourceType;

  private WebContentView(Object service, Class<?> contentType, Class<?> resourceType) throws NoSuchMethodException {
    this.service = service;
    this.find = contentType.getMethod("find", String.class);
    this.resourceType = resourceType;
  }

  /** The service published by the web bundle; fails when there is none. */
  static WebContentView of(BundleContext context) throws Exception {
    ServiceReference<?>[] refs = context.getServiceReferences(WEB_CONTENT, null);
    if (refs == null) {
      throw new AssertionError("no " + WEB_CONTENT + " service");
    }
    ServiceReference<?> ref = refs[0];
    Object service = context.getService(ref);
    ClassLoader api = service.getClass().getClassLoader();
    return new WebContentView(service, api.loadClass(WEB_CONTENT), api.loadClass(WEB_RESOURCE));
  }

  /** The file at {@code path}, or null. */
  Resource find(String path) throws Exception {
    Object r = call(find, service, path);
    return r == null ? null : new Resource(r);
  }

  private static Object call(Method m, Object target, Object... args) throws Exception {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** One WebResource. */
  final class Resource {
    private final Object resource;

    private Resource(Object resource) {
      this.resource = resource;
    }

    String contentType() throws Exception {
      return (String) call(resourceType.getMethod("contentType"), resource);
    }

    long length() throws Exception {
      return (Long) call(resourceType.getMethod("length"), resource);
    }

    long lastModified() throws Exception {
      return (Long) call(resourceType.getMethod("lastModified"), resource);
    }

    byte[] bytes() throws Exception {
      try (InputStream in = (InputStream) call(resourceType.getMethod("open"), resource)) {
        return in.readAllBytes();
      }
    }
  }
}
