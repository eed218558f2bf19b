package dev.cancelable.examples.support

import com.fasterxml.jackson.databind.ObjectMapper
import dev.cancelable.registry.OperationSnapshot

/** Operation snapshots as JSON, written by Jackson: what an HTTP endpoint serves. Thread-safe. */
object OperationJson {
    private val mapper = ObjectMapper()

    /** A JSON array of [snapshots], one object each (see [fields]). */
    @JvmStatic
    fun write(snapshots: List<OperationSnapshot>): String = mapper.writeValueAsString(snapshots.map(::fields))

    /** The fields of one snapshot: ids, name, lowercase status and reason, ISO start time, duration in ms, metadata. */
    @JvmStatic
    fun fields(snapshot: OperationSnapshot): Map<String, Any?> = linkedMapOf(
        "id" to snapshot.id,
        "name" to snapshot.name,
        "status" to snapshot.status.value,
        "parentId" to snapshot.parentId,
        "startTime" to snapshot.startTime?.toString(),
        "durationMillis" to snapshot.duration?.toMillis(),
        "cancelReason" to snapshot.cancelReason?.value,
        "cancelMessage" to snapshot.cancelMessage,
        "metadata" to snapshot.metadata.mapValues { (_, value) -> plain(value) },
    )

    private fun plain(value: Any?): Any? = when (value) {
        null, is String, is Number, is Boolean -> value
        else -> value.toString()
    }
}
