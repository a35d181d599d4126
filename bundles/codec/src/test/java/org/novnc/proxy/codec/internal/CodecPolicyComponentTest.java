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
    CodecPolicyComponent component = new CodecPolicyComponent(config(Map.of()));
    assertEquals(CodecSettings.DEFAULTS, component.settings());
    assertNull(component.configurationError());
  }

  @Test
  void annotationDefaultsAreTheCodecDefaults() {
    // The metatype defaults a person sees in config:edit are the ones the codec uses.
    CodecPolicyComponent.Config defaults = config(Map.of());
    CodecSettings expected = CodecSettings.DEFAULTS;
    assertEquals(expected.maxFrameSize(), defaults.max_frame_size());
    assertEquals(expected.maxMessageSize(), defaults.max_message_size());
    assertEquals(expected.subprotocols(), List.of(defaults.subprotocols()));
    assertEquals(expected.closeTimeoutMillis(), defaults.close_timeout());
  }

  @Test
  void everyKeyMapsToItsSetting() {
    CodecPolicyComponent component =
        new CodecPolicyComponent(
            config(
                Map.of(
                    "max_frame_size", 1024L,
                    "max_message_size", 4096L,
                    "subprotocols", new String[] {"base64", "binary"},
                    "close_timeout", 250L)));
    assertEquals(
        new CodecSettings(1024, 4096, List.of("base64", "binary"), 250), component.settings());
    assertNull(component.configurationError());
  }

  @Test
  void subprotocolsAsOneCommaSeparatedString() {
    // A .cfg file gives "subprotocols = base64, binary" as a single string.
    CodecPolicyComponent component =
        new CodecPolicyComponent(config(Map.of("subprotocols", new String[] {"base64, binary"})));
    assertEquals(List.of("base64", "binary"), component.settings().subprotocols());
  }

  @Test
  void invalidValuesFallBackToTheirDefaults() {
    CodecPolicyComponent component =
        new CodecPolicyComponent(
            config(
                Map.of(
                    "max_frame_size", 0L,
                    "max_message_size", 2048L,
                    "subprotocols", new String[] {"binary", "text"},
                    "close_timeout", -1L)));
    CodecSettings settings = component.settings();
    assertEquals(CodecSettings.DEFAULTS.maxFrameSize(), settings.maxFrameSize());
    assertEquals(2048, settings.maxMessageSize());
    assertEquals(CodecSettings.DEFAULTS.subprotocols(), settings.subprotocols());
    assertEquals(CodecSettings.DEFAULTS.closeTimeoutMillis(), settings.closeTimeoutMillis());
    assertEquals(
        "org.novnc.proxy.codec: max.frame.size = 0 refused, expected a number > 0, using 16777216;"
            + " org.novnc.proxy.codec: close.timeout = -1 refused, expected a number > 0,"
            + " using 5000;"
            + " org.novnc.proxy.codec: subprotocols = binary,text refused, expected binary and/or"
            + " base64, using binary,base64",
        component.configurationError());
  }

  @Test
  void modifiedAppliesInPlace() {
    CodecPolicyComponent component = new CodecPolicyComponent(config(Map.of()));
    CodecSettings before = component.settings();
    component.modified(config(Map.of("max_frame_size", 64L)));
    assertEquals(64, component.settings().maxFrameSize());
    assertEquals(CodecSettings.DEFAULTS, before, "settings already handed out never change");
    component.modified(config(Map.of("close_timeout", 0L)));
    assertEquals(CodecSettings.DEFAULTS.maxFrameSize(), component.settings().maxFrameSize());
    assertEquals(
        "org.novnc.proxy.codec: close.timeout = 0 refused, expected a number > 0, using 5000",
        component.configurationError());
    component.modified(config(Map.of()));
    assertNull(component.configurationError());
  }

  /** A Config as SCR builds it: the given values, the annotation's defaults for the rest. */
  private static CodecPolicyComponent.Config config(Map<String, Object> values) {
    return (CodecPolicyComponent.Config)
        Proxy.newProxyInstance(
            CodecPolicyComponent.Config.class.getClassLoader(),
            new Class<?>[] {CodecPolicyComponent.Config.class},
            (proxy, method, args) ->
                values.containsKey(method.getName())
                    ? values.get(method.getName())
                    : method.getDefaultValue());
  }
}
