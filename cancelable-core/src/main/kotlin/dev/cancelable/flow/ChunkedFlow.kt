package dev.cancelable.flow

import dev.cancelable.Cancelable
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector

/**
 * The flow behind `cancelableChunks`: lists of [chunkSize] items, the last one possibly shorter, passed
 * through [operation] (or the one running where it is collected) as `cancelable` passes items.
 */
internal class ChunkedFlow<T>(
    private val upstream: Flow<T>,
    private val operation: Cancelable?,
    private val chunkSize: Int,
    private val bufferLimit: Int,
) : Flow<List<T>> {

    override suspend fun collect(collector: FlowCollector<List<T>>) {
        val operation = operation ?: requireCurrent()
        var chunk = ArrayList<T>(chunkSize)
        var total = 0L
        val fullChunkMessage = "Processed chunk of $chunkSize items"
        StreamFlow(upstream, operation, 0, bufferLimit, null).collect { item ->
            chunk.add(item)
            total++
            if (chunk.size == chunkSize) {
                val full = chunk
                chunk = ArrayList(chunkSize)
                collector.emit(full)
                operation.reportProgress(fullChunkMessage, mapOf("chunk_size" to chunkSize, "count" to total))
            }
        }
        if (chunk.isNotEmpty()) {
            collector.emit(chunk)
            operation.reportProgress("Processed final chunk of ${chunk.size} items", mapOf("chunk_size" to chunk.size, "count" to total))
        }
    }
}
