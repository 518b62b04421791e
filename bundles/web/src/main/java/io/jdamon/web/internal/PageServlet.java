package io.jdamon.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

/**
 * The pages under {@value #ROOT}: the index, one page per context, the
 * server-sent event streams that update them, and recorded files. Every
 * request only reads; nothing here starts, stops or changes a context.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(PageServlet.ROOT + "/*")
public final class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Where the pages are. */
    public static final String ROOT = "/jdamon";
    /** How often a stream sends the status when nothing else happens, in milliseconds. */
    static final long STATUS_PERIOD_MS = 1000;

    private final transient MonitoringEngine engine;
    private final transient History history;
    private final transient RecordFolder records;

    @org.osgi.service.component.annotations.Activate
    public PageServlet(@Reference MonitoringEngine engine, @Reference History history,
            @Reference RecordFolder records) {
        this.engine = engine;
        this.history = history;
        this.records = records;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-store");
        switch (path) {
            case "/", "/index.html" -> resource(resp, "index.html", "text/html");
            case "/context" -> resource(resp, "context.html", "text/html");
            case "/page.js" -> resource(resp, "page.js", "text/javascript");
            case "/page.css" -> resource(resp, "page.css", "text/css");
            case "/api/statuses" -> json(resp, statuses().toString());
            case "/api/records" -> json(resp, records.list());
            case "/api/record" -> record(req, resp);
            case "/events" -> events(req, resp);
            default -> resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no page " + path + "; see " + ROOT + "/");
        }
    }

    private void resource(HttpServletResponse resp, String name, String type) throws IOException {
        try (InputStream in = PageServlet.class.getResourceAsStream(name)) {
            resp.setContentType(type + ";charset=utf-8");
            in.transferTo(resp.getOutputStream());
        }
    }

    private static void json(HttpServletResponse resp, String body) throws IOException {
        resp.setContentType("application/json;charset=utf-8");
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    private StringBuilder statuses() {
        StringBuilder b = new StringBuilder("[");
        boolean first = true;
        for (ContextStatus s : engine.statuses()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            Json.status(b, s, targets(s.name()));
        }
        return b.append(']');
    }

    private List<String> targets(String context) {
        List<String> specs = new ArrayList<>();
        engine.context(context).ifPresent(c -> specs.addAll(c.definition().targets()));
        return specs;
    }

    private void record(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            json(resp, records.columns(req.getParameter("file")));
        } catch (RecordFolder.Refused e) {
            resp.sendError(e.status(), e.getMessage());
        }
    }

    /**
     * A server-sent event stream: with {@code ?context=NAME}, the columns the
     * history holds, then each new one as it comes ({@code column}) and the
     * status ({@code status}) at least every {@value #STATUS_PERIOD_MS} ms;
     * without, the statuses of all contexts every {@value #STATUS_PERIOD_MS} ms.
     */
    private void events(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("context");
        resp.setContentType("text/event-stream;charset=utf-8");
        PrintWriter out = resp.getWriter();
        out.print("retry: 2000\n\n");
        resp.flushBuffer();
        long seq = -1;
        try {
            while (!out.checkError()) {
                if (name == null) {
                    send(out, "statuses", statuses());
                    Thread.sleep(STATUS_PERIOD_MS); // the pace of the index's updates, not a synchronisation
                    continue;
                }
                Optional<MonitoringContext> context = engine.context(name);
                Optional<History.Ring> ring = history.ring(name);
                if (context.isEmpty() || ring.isEmpty()) {
                    send(out, "gone", new StringBuilder("{}"));
                    return;
                }
                for (History.Entry e : ring.get().awaitAfter(seq, STATUS_PERIOD_MS)) {
                    send(out, "column", column(e));
                    seq = e.seq();
                }
                StringBuilder s = new StringBuilder();
                Json.status(s, context.get().status(), targets(name));
                send(out, "status", s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(PrintWriter out, String event, CharSequence data) {
        out.print("event: ");
        out.print(event);
        out.print("\ndata: ");
        out.append(data);
        out.print("\n\n");
        out.flush();
    }

    static StringBuilder column(History.Entry e) {
        AggregationSnapshot s = e.snapshot();
        List<List<RegionSnapshot>> targets = new ArrayList<>(s.targets().size());
        for (TargetSnapshot t : s.targets()) {
            targets.add(t.regions());
        }
        return Json.column(new StringBuilder(), e.seq(), e.seenMillis(), s.aggregationIndex(), s.startNanos(),
                s.endNanos(), s.sampleIntervalUs(), s.aggregationIntervalUs(), s.samplesPerAggregation(),
                s.effectiveWorkingSetBytes(), targets);
    }
}
