package dev.cancelable.examples.java;

import static dev.cancelable.examples.support.Scale.scaled;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.examples.support.OperationJson;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.registry.OperationRegistry;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        private final OperationRegistry registry;
        private final Duration deadline;
        private final ExecutorService pool = Executors.newCachedThreadPool();
        private final HttpServer http;

        public Server(OperationRegistry registry, Duration deadline) throws IOException {
            this.registry = registry;
            this.deadline = deadline;
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.setExecutor(pool);
            http.createContext("/work", exchange -> handle(exchange, this::work));
            http.createContext("/operations", exchange -> handle(exchange, this::operations));
            http.start();
        }

        /** Where the server listens, e.g. {@code http://127.0.0.1:41234}. */
        public URI uri() throws URISyntaxException {
            return new URI("http", null, http.getAddress().getHostString(), http.getAddress().getPort(), null, null, null);
        }

        // region readme:http
        /**
         * {@code GET /work?ms=N&deadline=D}: N ms of work as an operation with a deadline of D ms (at most
         * the server's); 504 past the deadline, 503 if canceled.
         */
        private void work(HttpExchange exchange) throws IOException {
            Map<String, Long> query = numbers(exchange.getRequestURI().getQuery());
            long ms = query.getOrDefault("ms", 100L);
            Duration limit = query.containsKey("deadline") && query.get("deadline") > 0
                    ? Collections.min(List.of(Duration.ofMillis(query.get("deadline")), deadline)) : deadline;
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
            } catch (Exception e) {
                reply(exchange, 500, "text/plain", String.valueOf(e));
            }
        }

        /** {@code GET /operations} lists the live operations; {@code DELETE /operations/{id}} cancels one (404 if unknown). */
        private void operations(HttpExchange exchange) throws IOException {
            String id = exchange.getRequestURI().getPath().replaceFirst("^/operations/?", "");
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && id.isEmpty()) {
                reply(exchange, 200, "application/json", OperationJson.write(registry.list()));
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

        // endregion

        private static Map<String, Long> numbers(String query) {
            Map<String, Long> numbers = new HashMap<>();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                String[] parts = pair.split("=", 2);
                if (parts.length == 2 && parts[1].matches("\\d{1,18}")) {
                    numbers.put(parts[0], Long.parseLong(parts[1]));
                }
            }
            return numbers;
        }

        private interface Handler {
            void handle(HttpExchange exchange) throws IOException;
        }

        private static void handle(HttpExchange exchange, Handler handler) throws IOException {
            try (exchange) {
                handler.handle(exchange);
            }
        }

        private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
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

        @Override
        public void close() {
            http.stop(0);
            pool.shutdownNow();
        }
    }

    public static void main(String[] args) throws Exception {
        try (Server server = new Server(new OperationRegistry(), Duration.ofSeconds(30))) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = server.uri();
            long quick = scaled(Duration.ofMillis(50)).toMillis();
            long slow = scaled(Duration.ofSeconds(60)).toMillis();
            long shortDeadline = scaled(Duration.ofMillis(500)).toMillis();
            System.out.println("server on " + base + " (loopback only)");

            HttpResponse<String> done = client.send(request(base, "GET", "/work?ms=" + quick), BodyHandlers.ofString());
            System.out.println("GET /work?ms=" + quick + " -> " + done.statusCode() + " " + done.body());
            String path = "/work?ms=" + slow + "&deadline=" + shortDeadline;
            HttpResponse<String> late = client.send(request(base, "GET", path), BodyHandlers.ofString());
            System.out.println("GET " + path + " -> " + late.statusCode() + " " + late.body());

            // region readme:http-client
            CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request(base, "GET", "/work?ms=" + slow), BodyHandlers.ofString());
            ObjectMapper json = new ObjectMapper();
            JsonNode work = null;
            while (work == null) {
                if (pending.isDone()) {
                    throw new IllegalStateException("the slow request ended before it was listed");
                }
                JsonNode listed = json.readTree(client.send(request(base, "GET", "/operations"), BodyHandlers.ofString()).body());
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
            System.out.println("DELETE /operations/" + id + " -> "
                    + client.send(request(base, "DELETE", "/operations/" + id), BodyHandlers.discarding()).statusCode());
            HttpResponse<String> canceled = pending.join();
            System.out.println("slow request -> " + canceled.statusCode() + " " + canceled.body());
            // endregion
            System.out.println("DELETE /operations/" + id + " again -> "
                    + client.send(request(base, "DELETE", "/operations/" + id), BodyHandlers.discarding()).statusCode());
        }
    }

    private static HttpRequest request(URI base, String method, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
}
