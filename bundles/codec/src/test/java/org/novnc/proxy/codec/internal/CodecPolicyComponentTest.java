package org.novnc.proxy.codec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.novnc.proxy.codec.CodecSettings;

/** Configuration of PID org.novnc.proxy.codec as SCR hands it to the component. */
class CodecPolicyComponentTest {

  @Test
  void withoutConfigurationTheDefaults() {
    CodecPolicyComponent component = component(Map.of());
    assertEquals(CodecSettings.DEFAULTS, component.settings());
    assertNull(component.configurationError());
  }

  @Test
  void annotationDefaultsAreTheCodecDefaults() {
    // The metatype defaults a person sees in config:edit are the ones the codec uses.
    CodecPolicyComponent.Config defaults = defaults();
    CodecSettings expected = CodecSettings.DEFAULTS;
    assertEquals(expected.maxFrameSize(), defaults.max_frame_size());
    assertEquals(expected.maxMessageSize(), defaults.max_message_size());
    assertEquals(expected.subprotocols(), List.of(defaults.subprotocols()));
    assertEquals(expected.closeTimeoutMillis(), defaults.close_timeout());
  }

  @Test
  void everyKeyMapsToItsSetting() {
    CodecPolicyComponent component =
        component(
            Map.of(
                "max.frame.size", 1024L,
                "max.message.size", "4096",
                "subprotocols", new String[] {"base64", "binary"},
                "close.timeout", 250L));
    assertEquals(
        new CodecSettings(1024, 4096, List.of("base64", "binary"), 250), component.settings());
    assertNull(component.configurationError());
  }

  @Test
  void subprotocolsAsOneCommaSeparatedString() {
    // A .cfg file gives "subprotocols = base64, binary" as a single string.
    CodecPolicyComponent component =
        component(Map.of("subprotocols", "base64, binary"));
    assertEquals(List.of("base64", "binary"), component.settings().subprotocols());
  }

  @Test
  void invalidValuesFallBackToTheirDefaults() {
    CodecPolicyComponent component =
        component(
            Map.of(
                "max.frame.size", "big",
                "max.message.size", 2048L,
                "subprotocols", new String[] {"binary", "text"},
                "close.timeout", -1L));
    CodecSettings settings = component.settings();
    assertEquals(CodecSettings.DEFAULTS.maxFrameSize(), settings.maxFrameSize());
    assertEquals(2048, settings.maxMessageSize());
    assertEquals(CodecSettings.DEFAULTS.subprotocols(), settings.subprotocols());
    assertEquals(CodecSettings.DEFAULTS.closeTimeoutMillis(), settings.closeTimeoutMillis());
    assertEquals(
        "org.novnc.proxy.codec: max.frame.size = 'big' is not a whole number of 1 or more;"
            + " using 16777216;"
            + " org.novnc.proxy.codec: close.timeout = '-1' is not a whole number of 1 or more;"
            + " using 5000;"
            + " org.novnc.proxy.codec: subprotocols = 'binary,text' is not binary and/or base64;"
            + " using binary,base64",
        component.configurationError());
  }

  @Test
  void modifiedAppliesInPlace() {
    CodecPolicyComponent component = component(Map.of());
    CodecSettings before = component.settings();
    component.modified(defaults(), Map.of("max.frame.size", 64L));
    assertEquals(64, component.settings().maxFrameSize());
    assertEquals(CodecSettings.DEFAULTS, before, "settings already handed out never change");
    component.modified(defaults(), Map.of("close.timeout", "0"));
    assertEquals(CodecSettings.DEFAULTS.maxFrameSize(), component.settings().maxFrameSize());
    assertEquals(
        "org.novnc.proxy.codec: close.timeout = '0' is not a whole number of 1 or more; using 5000",
        component.configurationError());
    component.modified(defaults(), Map.of());
    assertNull(component.configurationError());
  }

  /** The component as SCR activates it with these properties (the Config gives the defaults). */
  private static CodecPolicyComponent component(Map<String, Object> properties) {
    return new CodecPolicyComponent(defaults(), properties);
  }

  /** A Config as SCR builds it without values: the annotation's defaults. */
  private static CodecPolicyComponent.Config defaults() {
    return (CodecPolicyComponent.Config)
        Proxy.newProxyInstance(
            CodecPolicyComponent.Config.class.getClassLoader(),
            new Class<?>[] {CodecPolicyComponent.Config.class},
            (proxy, method, args) -> method.getDefaultValue());
  }
}
