package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandSessionTest {

    @Test
    void argumentsSurviveTheFrameworkPropertyEncoding() {
        // as io.jdamon.launcher.Main.encode writes them: URL-encoded, separated by single spaces
        String encoded = "-o my+file.data -- sh -c echo%20%22a+b%22 %25 ";
        assertThat(CommandSession.decode(encoded)).containsExactly("-o", "my file.data", "--", "sh", "-c",
                "echo \"a b\"", "%", "");
        assertThat(CommandSession.decode("")).isEmpty();
        assertThat(CommandSession.decode(null)).isEmpty();
    }
}
