package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Registry;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringContext;
import io.jdamon.core.internal.DamonEngine;

/** The management commands as Karaf's registry holds them: execution and the tab key's candidates. */
class KarafCommandsTest {

    private final DamonEngine engine = new DamonEngine();
    private final List<Object> registered = new ArrayList<>();

    @AfterEach
    void disposeContexts() throws Exception {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    private SessionFactory sessionFactory() {
        Registry registry = (Registry) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Registry.class}, (p, m, args) -> switch (m.getName()) {
                    case "register" -> registered.add(args[0]);
                    case "unregister" -> registered.remove(args[0]);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (SessionFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SessionFactory.class}, (p, m, args) -> {
                    if (m.getName().equals("getRegistry")) {
                        return registry;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** A line as Karaf's console hands it to a completer: the words, the cursor's word and place in it. */
    private static CommandLine line(int cursorWord, String... words) {
        String buffer = String.join(" ", words);
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return cursorWord;
            }

            @Override
            public String getCursorArgument() {
                return cursorWord < words.length ? words[cursorWord] : "";
            }

            @Override
            public int getArgumentPosition() {
                return getCursorArgument().length();
            }

            @Override
            public String[] getArguments() {
                return words;
            }

            @Override
            public int getBufferPosition() {
                return buffer.length() + (cursorWord >= words.length ? 1 : 0);
            }

            @Override
            public String getBuffer() {
                return buffer;
            }
        };
    }

    private Command command(String name) {
        return registered.stream().map(Command.class::cast).filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static List<String> candidates(Command c, CommandLine line) {
        List<Candidate> found = new ArrayList<>();
        c.getCompleter(true).completeCandidates(null, line, found);
        return found.stream().map(Candidate::value).toList();
    }

    @Test
    void theCommandsCompleteContextNamesAndKeysAndRunAsInFelix() throws Exception {
        engine.newContext(ContextDefinition.of("heap", "test", "t0"), new HotHalfPrimitive());
        engine.newContext(ContextDefinition.of("web", "test", "t0"), new HotHalfPrimitive());
        AutoCloseable registration = KarafCommands.register(sessionFactory(), new ContextControl(engine));
        assertThat(registered).extracting(c -> ((Command) c).getScope() + ":" + ((Command) c).getName())
                .containsExactly("jdamon:status", "jdamon:start", "jdamon:stop", "jdamon:tune", "jdamon:report");
        assertThat(command("tune").getDescription()).startsWith("Changes attributes of a context online");

        assertThat(candidates(command("stop"), line(1, "jdamon:stop"))).containsExactly("heap", "web");
        assertThat(candidates(command("stop"), line(1, "jdamon:stop", "h"))).containsExactly("heap");
        assertThat(candidates(command("report"), line(1, "report", "he"))).containsExactly("heatmap");
        assertThat(candidates(command("report"), line(2, "report", "wss"))).containsExactly("heap", "web");
        List<Candidate> keys = new ArrayList<>();
        command("tune").getCompleter(true).completeCandidates(null, line(2, "jdamon:tune", "web", "max"), keys);
        assertThat(keys).singleElement().satisfies(k -> {
            assertThat(k.value()).isEqualTo("maxNrRegions=");
            assertThat(k.complete()).as("no space after key=").isFalse();
        });
        // the legacy completion entry: candidates and where they start
        List<String> legacy = new ArrayList<>();
        CommandLine typed = line(1, "jdamon:stop", "w");
        assertThat(command("stop").getCompleter(true).complete(null, typed, legacy))
                .isEqualTo(typed.getBufferPosition() - 1);
        assertThat(legacy).containsExactly("web");

        PrintStream previous = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            command("status").execute(null, List.of("-v"));
            command("tune").execute(null, List.<Object>of("web", "minNrRegions=12"));
        } finally {
            System.setOut(previous);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("heap ").contains("attributes:").contains("tuned web");
        assertThat(engine.context("web").orElseThrow().attributes().minNrRegions()).isEqualTo(12);
        assertThatThrownBy(() -> command("start").execute(null, List.of("nope")))
                .hasMessage("jdamon start: no context 'nope'; there are heap, web");

        registration.close();
        assertThat(registered).isEmpty();
    }
}
