package io.jdamon.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Parser;
import org.apache.karaf.shell.api.console.Registry;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/**
 * Karaf only: the management commands ({@link ControlCommands#NAMES}) in
 * Karaf's own command registry, because Karaf completes arguments only of the
 * commands it holds there (a plain Gogo command gets no completer). Each
 * command passes its words unparsed to {@link ControlCommands}, so it parses,
 * prints and fails as the Gogo function does in Felix; its completer asks
 * {@link ControlCommands#complete}. This class is loaded only where the
 * bundle's optional import of {@code org.apache.karaf.shell.api.console} is
 * wired (see {@link CommandRegistrations}).
 */
final class KarafCommands implements AutoCloseable {

    private final Registry registry;
    private final List<ManagementCommand> commands = new ArrayList<>();

    private KarafCommands(Registry registry, ContextControl control) {
        this.registry = registry;
        for (String name : ControlCommands.NAMES) {
            ManagementCommand c = new ManagementCommand(name, control);
            registry.register(c);
            commands.add(c);
        }
    }

    /**
     * @param sessionFactory Karaf's {@code SessionFactory} service
     * @return what unregisters the commands
     */
    static AutoCloseable register(Object sessionFactory, ContextControl control) {
        return new KarafCommands(((SessionFactory) sessionFactory).getRegistry(), control);
    }

    @Override
    public void close() {
        commands.forEach(registry::unregister);
        commands.clear();
    }

    private static final class ManagementCommand implements Command, Completer {
        private final String name;
        private final ContextControl control;

        ManagementCommand(String name, ContextControl control) {
            this.name = name;
            this.control = control;
        }

        @Override
        public String getScope() {
            return "jdamon";
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return ControlCommands.description(name);
        }

        @Override
        public Completer getCompleter(boolean scoped) {
            return this;
        }

        @Override
        public Parser getParser() {
            return null; // Karaf's own: words as Gogo splits them
        }

        @Override
        public Object execute(Session session, List<Object> arguments) {
            List<String> argv = new ArrayList<>(List.of(name));
            arguments.forEach(a -> argv.add(String.valueOf(a)));
            JdamonCommands.runOrThrow(control, argv);
            return null;
        }

        @Override
        public int complete(Session session, CommandLine line, List<String> candidates) {
            List<Candidate> found = new ArrayList<>();
            completeCandidates(session, line, found);
            found.forEach(c -> candidates.add(c.value()));
            return found.isEmpty() ? -1 : line.getBufferPosition() - line.getArgumentPosition();
        }

        @Override
        public void completeCandidates(Session session, CommandLine line, List<Candidate> candidates) {
            String[] args = line.getArguments(); // args[0]: the command as typed, e.g. jdamon:stop
            int index = line.getCursorArgumentIndex();
            if (index < 1) {
                return; // the command's own name is Karaf's to complete
            }
            List<String> words = new ArrayList<>(List.of(name));
            for (int i = 1; i < args.length; i++) {
                words.add(args[i]);
            }
            if (index >= args.length) {
                words.add(""); // the cursor after a space: a new word
            }
            int position = index < args.length ? line.getArgumentPosition() : 0;
            for (String c : ControlCommands.complete(control, words, index, position)) {
                // a key of tune (key=) is not a whole word: no space after it
                candidates.add(new Candidate(c, c, null, null, null, null, !c.endsWith("=")));
            }
        }
    }
}
