package dev.cancelable.examples

import java.lang.reflect.InvocationTargetException

/**
 * One runnable example: `dev.cancelable.examples.kotlin.<Class>` and, unless [kotlinOnly] says why
 * not, `dev.cancelable.examples.java.<Class>`, each with a `main`.
 */
class Example(
    /** The name to run it by, e.g. `timeout`. */
    val name: String,
    /** What it shows, in a few words. */
    val summary: String,
    /** Why there is no Java version, or null when there is one. */
    val kotlinOnly: String? = null,
) {
    /** The class name shared by both languages, e.g. `TimeoutExample`. */
    val className: String = name.split('-').joinToString("") { it.replaceFirstChar(Char::uppercase) } + "Example"

    /** The Kotlin class's full name. */
    val kotlinClass: String get() = "dev.cancelable.examples.kotlin.$className"

    /** The Java class's full name, or null. */
    val javaClass: String? get() = if (kotlinOnly == null) "dev.cancelable.examples.java.$className" else null

    /** Runs the Kotlin version, or the Java one when [java] is true. */
    fun run(java: Boolean, args: Array<String> = emptyArray()) {
        val target = if (java) requireNotNull(javaClass) { "$name has no Java version: $kotlinOnly" } else kotlinClass
        val main = Class.forName(target).getMethod("main", Array<String>::class.java)
        try {
            main.invoke(null, args)
        } catch (e: InvocationTargetException) {
            throw e.targetException
        }
    }
}

/** Every example, in the order a reader meets the features. */
object ExampleCatalog {
    val all: List<Example> = listOf(
        Example("basic-operation", "an operation with callbacks, progress and metadata"),
        Example("timeout", "a deadline: quick work completes, slow work is canceled"),
        Example("manual-token", "one token stops two operations; linked tokens"),
        Example("one-liner", "functions whose body is an operation (the reference's decorator)"),
        Example("combined-sources", "timeout + token + condition: the first to fire wins"),
        Example("shielded-section", "a critical section that finishes despite a cancel"),
        Example("registry", "find, list and cancel operations by id or pattern; history; statistics"),
        Example("timeout-helper", "Cancelable(timeout = ...) around existing code, with a fallback"),
        Example("cancel-from-thread", "a plain thread cancels running work, which stops at once"),
        Example(
            "cancel-from-coroutine", "coroutines cancel each other's operations",
            kotlinOnly = "Java has no coroutines; its threads and futures are in cancel-from-thread",
        ),
        Example("condition", "a polled condition cancels once it holds"),
        Example("signal", "Ctrl-C (SIGINT) or SIGTERM cancels instead of killing the process"),
        Example("all-of", "cancel only once every source has fired"),
        Example("resource-monitoring", "cancel when memory, CPU or disk crosses a threshold"),
        Example("shared-operation", "several functions share one operation and one budget"),
        Example("retry", "retries with backoff; a cancel stops them between attempts"),
        Example("stream-processing", "a stream with progress bars and a partial result"),
        Example("monitoring-dashboard", "a live dashboard over a registry, its events and JMX"),
        Example("metrics", "operations as Micrometer metrics, scraped in the Prometheus format"),
        Example("tracing", "operations as OpenTelemetry spans: parents, outcome, the cancel as an event"),
        Example("llm-streaming", "a simulated LLM stream with stalls, bursts, a pause and a resume"),
        Example("database", "an H2 query canceled mid-flight through Statement.cancel()"),
        Example("http", "an HTTP API: requests with deadlines, GET and DELETE /operations"),
        Example("grpc", "three gRPC services in a row; a client's cancel crosses every hop, one tree in three registries"),
        Example(
            "ktor-console", "a Ktor server: calls as operations, deadline headers, the operations console",
            kotlinOnly = "Ktor is a Kotlin framework: its routing, plugins and handlers are suspending Kotlin code",
        ),
    )

    /** The example called [name], or null. */
    fun find(name: String): Example? = all.firstOrNull { it.name == name }
}
