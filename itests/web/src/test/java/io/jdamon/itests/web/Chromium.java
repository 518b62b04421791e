package io.jdamon.itests.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket on
 * loopback): navigate, evaluate JavaScript, take a screenshot.
 */
final class Chromium implements AutoCloseable {

    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Path log;

    Chromium(Path program, Path dir) throws IOException, InterruptedException {
        Path profile = dir.resolve("chromium-profile");
        Files.createDirectories(profile);
        log = dir.resolve("chromium.log");
        process = new ProcessBuilder(program.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=1000,1150", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("chromium did not open its DevTools port; its log:\n" + Files.readString(log));
            }
            Thread.sleep(50); // waiting for another process' file
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonArray targets = JsonParser.parseString(list).getAsJsonArray();
        String ws = null;
        for (var t : targets) {
            JsonObject o = t.getAsJsonObject();
            if ("page".equals(o.get("type").getAsString())) {
                ws = o.get("webSocketDebuggerUrl").getAsString();
            }
        }
        if (ws == null) {
            throw new IOException("chromium shows no page: " + list);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    JsonObject msg = JsonParser.parseString(text.toString()).getAsJsonObject();
                    text.setLength(0);
                    if (msg.has("id")) {
                        CompletableFuture<JsonObject> f = pending.remove(msg.get("id").getAsInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    }
                }
                webSocket.request(1);
                return null;
            }
        }).join();
    }

    /** Sends a DevTools command and waits for its answer's {@code result}. */
    JsonObject call(String method, Map<String, Object> params) throws IOException {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(new Gson().toJson(Map.of("id", id, "method", method, "params", params)), true).join();
        JsonObject msg;
        try {
            msg = answer.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException(method + " got no answer: " + e, e);
        }
        if (msg.has("error")) {
            throw new IOException(method + " failed: " + msg.get("error"));
        }
        return msg.getAsJsonObject("result");
    }

    void navigate(String url) throws IOException {
        call("Page.navigate", Map.of("url", url));
    }

    /** @return the value of a JavaScript expression, as a string (empty for undefined or null) */
    String evaluate(String expression) throws IOException {
        JsonObject r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true))
                .getAsJsonObject("result");
        return r.has("value") && !r.get("value").isJsonNull() ? r.get("value").getAsString() : "";
    }

    /** @return the page as PNG bytes */
    byte[] screenshot() throws IOException {
        String data = call("Page.captureScreenshot", Map.of("format", "png")).get("data").getAsString();
        return java.util.Base64.getDecoder().decode(data);
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            socket.abort();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

}
