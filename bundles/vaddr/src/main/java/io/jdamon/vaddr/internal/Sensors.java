package io.jdamon.vaddr.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jdamon.api.InvalidTargetException;
import io.jdamon.vaddr.Sensor;
import io.jdamon.vaddr.SensorProbe;

/** The sensors the vaddr primitive knows: the built-in ones plus any registered as services. */
final class Sensors {

    private final List<Sensor> builtIn = List.of(new PageIdleSensor(), new ReferencedSensor(),
            new UffdWriteSensor(), new UffdReferencedSensor(), new PageoutProbeSensor());
    private final List<Sensor> added = new CopyOnWriteArrayList<>();

    void add(Sensor s) {
        added.add(s);
    }

    void remove(Sensor s) {
        added.remove(s);
    }

    /** @return every sensor, best first by rank */
    List<Sensor> all() {
        List<Sensor> l = new ArrayList<>(builtIn);
        l.addAll(added);
        l.sort(Comparator.comparingInt((Sensor s) -> s.traits().rank()).reversed());
        return l;
    }

    Sensor named(String name) {
        for (Sensor s : all()) {
            if (s.traits().name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * @return the sensor a target asks for, or the best available
     *     non-intrusive one for {@code auto}
     * @throws InvalidTargetException if it is unknown or unavailable, with the reason
     */
    Sensor choose(String spec, TargetSpec target) {
        if (!target.autoSensor()) {
            Sensor s = named(target.sensor());
            if (s == null) {
                throw new InvalidTargetException(spec, "unknown sensor '" + target.sensor() + "'; choose one of "
                        + names() + " or auto ('jdamon sensors' lists them)");
            }
            SensorProbe p = s.probe(target.pid());
            if (!p.available()) {
                throw new InvalidTargetException(spec, "sensor " + s.traits().name() + " cannot monitor PID " + target.pid()
                        + ": " + p.reason());
            }
            return s;
        }
        StringBuilder why = new StringBuilder();
        for (Sensor s : all()) {
            if (s.traits().intrusive()) {
                continue;
            }
            SensorProbe p = s.probe(target.pid());
            if (p.available()) {
                return s;
            }
            why.append("; ").append(s.traits().name()).append(": ").append(p.reason());
        }
        throw new InvalidTargetException(spec, "no access sensor can monitor PID " + target.pid() + why);
    }

    String names() {
        List<String> n = new ArrayList<>();
        for (Sensor s : all()) {
            n.add(s.traits().name());
        }
        return String.join(", ", n);
    }
}
