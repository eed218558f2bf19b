package dev.cancelable.examples.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CancellationReason;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP server on the JDK's {@code HttpServer} where each request runs as an operation with a
 * deadline, the live operations are served as JSON at {@code GET /operations}, and
 * {@code DELETE /operations/{id}} cancels one. It listens on the loopback interface only.
 */
public final class HttpExample {
    private HttpExample() {
    }

    public static final class Server implements AutoCloseable {
        private final ExecutorService pool = Executors.newCachedThreadPool();
        private final HttpServer http;

        public Server(OperationRegistry registry, Duration deadline) throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.setExecutor(pool);
            http.createContext("/work", exchange -> {
                try (exchange) {
                    work(exchange, registry, deadline);
                }
            });
            http.createContext("/operations", exchange -> {
                try (exchange) {
                    operations(exchange, registry);
                }
            });
            http.start();
        }

        /** Where the server listens, e.g. {@code http://127.0.0.1:41234}. */
        public URI uri() throws URISyntaxException {
            return new URI("http", null, http.getAddress().getHostString(), http.getAddress().getPort(), null, null, null);
        }

        @Override
        public void close() {
            http.stop(0);
            pool.shutdownNow();
        }
    }

    // region readme:http
    /**
     * {@code GET /work?ms=N&deadline=D}: N ms of work as an operation of {@code registry} with a deadline
     * of D ms (at most {@code deadline}); 504 past the deadline, 503 if canceled.
     */
    static void work(HttpExchange exchange, OperationRegistry registry, Duration deadline) throws IOException {
        Map<String, Long> query = new HashMap<>();
        for (String pair : Objects.requireNonNullElse(exchange.getRequestURI().getQuery(), "").split("&")) {
            String[] parts = pair.split("=", 2);
            if (parts.length == 2 && parts[1].matches("\\d{1,18}")) {
                query.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        long ms = query.getOrDefault("ms", 100L);
        long asked = query.getOrDefault("deadline", 0L);
        Duration limit = asked > 0 && asked < deadline.toMillis() ? Duration.ofMillis(asked) : deadline;
        try {
            Cancelables.operation("GET /work").registry(registry).timeout(limit).metadata("ms", ms).build()
                    .call(ctx -> {
                        ctx.sleep(Duration.ofMillis(ms));
                        return null;
                    });
            reply(exchange, 200, "text/plain", "done in " + ms + " ms");
        } catch (CanceledByTimeoutException e) {
            reply(exchange, 504, "text/plain", "deadline exceeded: " + e.getMessage());
        } catch (OperationCanceledException e) {
            reply(exchange, 503, "text/plain", "canceled: " + e.getReason() + " - " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 503, "text/plain", "server shutting down");
        }
    }

    /** {@code GET /operations} lists the live operations of {@code registry}; {@code DELETE /operations/{id}} cancels one (404 if unknown). */
    static void operations(HttpExchange exchange, OperationRegistry registry) throws IOException {
        String id = exchange.getRequestURI().getPath().replaceFirst("^/operations/?", "");
        String method = exchange.getRequestMethod();
        if (method.equals("GET") && id.isEmpty()) {
            List<Map<String, Object>> live = new ArrayList<>();
            for (OperationSnapshot op : registry.list()) {
                live.add(Map.of("id", op.getId(), "name", op.getName(), "status", op.getStatus().toString(), "metadata", op.getMetadata()));
            }
            reply(exchange, 200, "application/json", new ObjectMapper().writeValueAsString(live));
        } else if (method.equals("DELETE") && !id.isEmpty()) {
            if (registry.cancel(id, CancellationReason.MANUAL, "canceled over HTTP")) {
                reply(exchange, 204, null, null);
            } else {
                reply(exchange, 404, "text/plain", "no running operation " + id);
            }
        } else {
            reply(exchange, 405, "text/plain", "use GET /operations or DELETE /operations/{id}");
        }
    }

    static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (type != null) {
            exchange.getResponseHeaders().add("Content-Type", type + "; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
    // endregion

    // region readme:http-client
    /** Starts a minute of work on the server at {@code base}, finds it at GET /operations, cancels it; returns its id. */
    static String cancelSlowRequest(HttpClient client, URI base) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
                HttpRequest.newBuilder(base.resolve("/work?ms=60000")).GET().build(), BodyHandlers.ofString());
        ObjectMapper json = new ObjectMapper();
        JsonNode work = null;
        while (work == null) {
            if (pending.isDone()) {
                throw new IllegalStateException("the slow request ended before it was listed");
            }
            HttpRequest list = HttpRequest.newBuilder(base.resolve("/operations")).GET().build();
            JsonNode listed = json.readTree(client.send(list, BodyHandlers.ofString()).body());
            for (JsonNode operation : listed) {
                if (operation.get("name").asText().equals("GET /work")) {
                    work = operation;
                    System.out.println("GET /operations -> " + listed.size() + " running: " + work.get("name").asText()
                            + " (" + work.get("status").asText() + ")");
                }
            }
            Thread.sleep(10);
        }
        String id = work.get("id").asText();
        HttpRequest delete = HttpRequest.newBuilder(base.resolve("/operations/" + id)).DELETE().build();
        System.out.println("DELETE /operations/" + id + " -> " + client.send(delete, BodyHandlers.discarding()).statusCode());
        HttpResponse<String> canceled = pending.join();
        System.out.println("slow request -> " + canceled.statusCode() + " " + canceled.body());
        return id;
    }
    // endregion

    public static void main(String[] args) throws Exception {
        try (Server server = new Server(new OperationRegistry(), Duration.ofSeconds(30))) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = server.uri();
            System.out.println("server on " + base + " (loopback only)");

            HttpResponse<String> done = client.send(request(base, "GET", "/work?ms=50"), BodyHandlers.ofString());
            System.out.println("GET /work?ms=50 -> " + done.statusCode() + " " + done.body());
            String path = "/work?ms=60000&deadline=300";
            HttpResponse<String> late = client.send(request(base, "GET", path), BodyHandlers.ofString());
            System.out.println("GET " + path + " -> " + late.statusCode() + " " + late.body());

            String id = cancelSlowRequest(client, base);
            System.out.println("DELETE /operations/" + id + " again -> "
                    + client.send(request(base, "DELETE", "/operations/" + id), BodyHandlers.discarding()).statusCode());
        }
    }

    private static HttpRequest request(URI base, String method, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
}
