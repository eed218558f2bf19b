package dev.cancelable.ktor.internal

import dev.cancelable.OperationContext
import dev.cancelable.flow.PartialResult
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonObject

/** Operations as the console's JSON: every value a string, number, boolean or null; metadata values as text. */
internal object ConsoleJson {
    private const val MAX_TEXT = 2_000

    fun operation(op: OperationContext, progress: String?): JsonObject = buildJsonObject {
        put("id", op.id)
        put("name", clip(op.name))
        put("status", op.status.toString())
        put("parentId", op.parentId)
        put("reason", op.cancelReason?.toString())
        put("message", op.cancelMessage?.let(::clip))
        put("startedAt", op.startTime?.toEpochMilli())
        put("endedAt", op.endTime?.toEpochMilli())
        put("durationMs", op.duration?.toMillis())
        put("progress", progress?.let(::clip))
        put("error", op.error?.let(::clip))
        (op.partialResult as? PartialResult<*>)?.let { partial ->
            putJsonObject("partial") {
                put("count", partial.count)
                put("completed", partial.completed)
            }
        }
        putJsonObject("metadata") {
            for ((key, value) in op.metadata) put(clip(key), JsonPrimitive(value?.let { clip(it.toString()) }))
        }
    }

    private fun clip(text: String) = if (text.length <= MAX_TEXT) text else text.take(MAX_TEXT) + "…"
}
