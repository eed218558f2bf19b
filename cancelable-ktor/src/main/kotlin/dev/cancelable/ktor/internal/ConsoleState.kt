package dev.cancelable.ktor.internal

import dev.cancelable.OperationContext
import dev.cancelable.ProgressReport
import dev.cancelable.registry.OperationListener
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.registry.OperationSnapshot
import kotlinx.coroutines.channels.Channel
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArraySet

/**
 * What one console keeps besides the registry: the last progress message of each operation (live,
 * then for the newest finished ones), and the event streams of connected pages.
 */
internal class ConsoleState(val registry: OperationRegistry, val csrf: String) : OperationListener {
    private val liveProgress = ConcurrentHashMap<String, String>()
    private val finishedProgress = object : LinkedHashMap<String, String>() {
        override fun removeEldestEntry(eldest: MutableMap.MutableEntry<String, String>?) = size > HISTORY_PROGRESS
    }
    private val streams = CopyOnWriteArraySet<EventStream>()
    private val registration: AutoCloseable = registry.addListener(this)

    fun close() = registration.close()

    fun progressOf(id: String): String? = liveProgress[id] ?: synchronized(finishedProgress) { finishedProgress[id] }

    fun json(op: OperationContext): JsonObject = ConsoleJson.operation(op, progressOf(op.id))

    override fun onStarted(operation: OperationContext) = publish("started", operation)

    override fun onProgress(report: ProgressReport) {
        liveProgress[report.operation.id] = report.message
        publish("progress", report.operation)
    }

    override fun onFinished(snapshot: OperationSnapshot) {
        liveProgress.remove(snapshot.id)?.let { synchronized(finishedProgress) { finishedProgress[snapshot.id] = it } }
        publish("finished", snapshot)
    }

    private fun publish(kind: String, op: OperationContext) {
        if (streams.isEmpty()) return
        val data = buildJsonObject {
            put("type", kind)
            put("now", System.currentTimeMillis())
            put("operation", json(op))
        }.toString()
        for (stream in streams) stream.offer("event: $kind\ndata: $data\n\n")
    }

    fun open(): EventStream = EventStream().also(streams::add)

    fun closeStream(stream: EventStream) {
        streams.remove(stream)
        stream.events.close()
    }

    /** The events of one connected page; a page that falls too far behind is told to reload its list. */
    class EventStream {
        val events = Channel<String>(BUFFER)
        @Volatile var overflowed = false

        fun offer(event: String) {
            if (!events.trySend(event).isSuccess) overflowed = true
        }
    }

    private companion object {
        const val HISTORY_PROGRESS = 1_000
        const val BUFFER = 1_024
    }
}
