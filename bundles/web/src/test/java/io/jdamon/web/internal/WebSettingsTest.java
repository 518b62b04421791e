package io.jdamon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;

class WebSettingsTest {

    private static WebSettings.Config config(int port, String bindAddress, boolean allowNonLoopback) {
        return new WebSettings.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return WebSettings.Config.class;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String bindAddress() {
                return bindAddress;
            }

            @Override
            public boolean allowNonLoopback() {
                return allowNonLoopback;
            }
        };
    }

    @Test
    void nothingListensWithoutAPort() {
        WebSettings.Decision d = WebSettings.decide(config(-1, "127.0.0.1", false), null);
        assertThat(d.listen()).isFalse();
        assertThat(d.message()).isEmpty();
    }

    @Test
    void theLaunchersPortListensOnLoopback() {
        WebSettings.Decision d = WebSettings.decide(config(-1, WebSettings.DEFAULT_BIND_ADDRESS, false), "8321");
        assertThat(d.listen()).isTrue();
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(8321);
        assertThat(d.message()).isEmpty();
    }

    @Test
    void theConfigurationsPortWinsOverTheLaunchers() {
        assertThat(WebSettings.decide(config(9000, "127.0.0.1", false), "8321").port()).isEqualTo(9000);
    }

    @Test
    void aPortThatIsNoNumberIsNamed() {
        WebSettings.Decision d = WebSettings.decide(config(-1, "127.0.0.1", false), "http");
        assertThat(d.listen()).isFalse();
        assertThat(d.message()).contains("'http' is not a port", "1 to 65535");
    }

    @Test
    void aPortOutOfRangeIsNamed() {
        WebSettings.Decision d = WebSettings.decide(config(70000, "127.0.0.1", false), null);
        assertThat(d.listen()).isFalse();
        assertThat(d.message()).contains("port 70000 is out of range");
    }

    @Test
    void aNonLoopbackAddressNeedsAnExplicitSetting() {
        WebSettings.Decision d = WebSettings.decide(config(8321, "192.0.2.1", false), null);
        assertThat(d.listen()).isFalse();
        assertThat(d.message()).contains("'192.0.2.1' is not loopback", "allowNonLoopback = true");
    }

    @Test
    void aNonLoopbackAddressAllowedListensWithAWarning() {
        WebSettings.Decision d = WebSettings.decide(config(8321, "192.0.2.1", true), null);
        assertThat(d.listen()).isTrue();
        assertThat(d.host()).isEqualTo("192.0.2.1");
        assertThat(d.message()).contains("beyond loopback");
    }

    @Test
    void anUnknownHostIsNamed() {
        WebSettings.Decision d = WebSettings.decide(config(8321, "no-such-host.invalid", false), null);
        assertThat(d.listen()).isFalse();
        assertThat(d.message()).contains("'no-such-host.invalid' is not an address");
    }
}
