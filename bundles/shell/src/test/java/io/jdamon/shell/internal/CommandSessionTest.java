package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandSessionTest {

    @Test
    void argumentsSurviveTheFrameworkPropertyEncoding() {
        // as io.jdamon.launcher.Main.encode writes them: URL-encoded, separated by single spaces
        String encoded = "-o my+file.data -- sh -c echo%20%22a+b%22 %25 ";
        assertThat(CommandSession.decode(encoded, "8")).containsExactly("-o", "my file.data", "--", "sh", "-c",
                "echo \"a b\"", "%", "");
        assertThat(CommandSession.decode(encoded, null)).hasSize(8);
        assertThat(CommandSession.decode("", "0")).isEmpty();
        assertThat(CommandSession.decode("", null)).isEmpty();
        assertThat(CommandSession.decode(null, null)).isEmpty();
    }

    @Test
    void oneEmptyArgumentIsAnArgumentNotNone() {
        // jdamon record "": the launcher encodes it as "" with a count of 1
        assertThat(CommandSession.decode("", "1")).containsExactly("");
    }
}
