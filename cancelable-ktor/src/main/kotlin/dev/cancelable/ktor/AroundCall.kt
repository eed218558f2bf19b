package dev.cancelable.ktor

import io.ktor.server.application.ApplicationCallPipeline
import io.ktor.server.application.Hook
import io.ktor.server.application.PipelineCall
import io.ktor.util.pipeline.PipelinePhase

/** A hook that wraps the rest of the call (routing's handler included) in [handler]. */
internal object AroundCall : Hook<suspend (PipelineCall, suspend () -> Unit) -> Unit> {
    private val phase = PipelinePhase("CancelableOperation")

    override fun install(pipeline: ApplicationCallPipeline, handler: suspend (PipelineCall, suspend () -> Unit) -> Unit) {
        pipeline.insertPhaseAfter(ApplicationCallPipeline.Plugins, phase)
        pipeline.intercept(phase) { handler(context) { proceed() } }
    }
}
