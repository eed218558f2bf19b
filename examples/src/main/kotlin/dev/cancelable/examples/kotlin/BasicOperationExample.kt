package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds

/** An operation from start to end: callbacks, progress, metadata, and its context afterwards. */
object BasicOperationExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:basic
        val op = Cancelable(name = "resize-images", metadata = mapOf("album" to "holidays"))
            .onStart { println("started ${it.name} (album=${it.metadata["album"]}): ${it.status}") }
            .onProgress { println("progress: ${it.message} ${it.metadata}") }
            .onCompleted { println("completed ${it.name}: ${it.status} in ${it.duration?.toMillis()} ms") }

        val resized = op.run {
            val images = listOf("beach.jpg", "hills.jpg", "harbour.jpg")
            images.forEachIndexed { index, image ->
                delay(100.milliseconds)                         // the work; a cancel lands here
                reportProgress("resized $image", mapOf("done" to index + 1))
            }
            images.size
        }
        println("result=$resized")
        // endregion
    }
}
