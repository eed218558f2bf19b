package dev.cancelable.examples.java;

import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An operation from start to end: callbacks, progress, metadata, and its context afterwards. */
public final class BasicOperationExample {
    private BasicOperationExample() {
    }

    public static void main(String[] args) throws Exception {
        // region readme:basic
        Operation op = Cancelables.operation("resize-images")
                .metadata("album", "holidays")
                .onStart(ctx -> System.out.println(
                        "started " + ctx.getName() + " (album=" + ctx.getMetadata().get("album") + "): " + ctx.getStatus()))
                .onProgress(report -> System.out.println("progress: " + report.getMessage() + " " + report.getMetadata()))
                .onCompleted(ctx -> System.out.println(
                        "completed " + ctx.getName() + ": " + ctx.getStatus() + " in " + ctx.getDuration().toMillis() + " ms"))
                .build();

        int resized = op.call(ctx -> {
            List<String> images = List.of("beach.jpg", "hills.jpg", "harbour.jpg");
            for (int i = 0; i < images.size(); i++) {
                ctx.sleep(Duration.ofMillis(100));               // the work; a cancel wakes it
                ctx.reportProgress("resized " + images.get(i), Map.of("done", i + 1));
            }
            return images.size();
        });
        System.out.println("result=" + resized);
        // endregion
    }
}
