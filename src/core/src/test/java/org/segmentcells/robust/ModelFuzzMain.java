package org.segmentcells.robust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.segmentcells.model.Model;

/**
 * Child process of {@link ModelFuzzTest}: loads a model folder with one file replaced by mutated bytes, case
 * after case, and prints one line per case. TensorFlow's native loader runs in this process, so if a case
 * kills the JVM, the parent sees a START line without its result and knows which case it was.
 *
 * <p>Arguments: MODEL_COPY FILE_IN_MODEL ORIGINAL SEED FROM COUNT.
 */
public final class ModelFuzzMain {

    private ModelFuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path file = model.resolve(args[1]);
        byte[] good = Files.readAllBytes(Path.of(args[2]));
        SplittableRandom r = new SplittableRandom(Long.parseLong(args[3]));
        int from = Integer.parseInt(args[4]);
        int count = Integer.parseInt(args[5]);
        for (int i = 0; i < count; i++) {
            byte[] b = Fuzz.mutate(good, r, i); // always drawn, so case i is the same whatever FROM is
            if (i < from) {
                continue;
            }
            Files.write(file, b);
            System.out.println("START " + i);
            System.out.flush();
            String result;
            try (Model m = Model.load(model)) {
                result = "LOADED";
                // A model that loads must also run cleanly: segment a small image with it.
                float[] tile = new float[48 * 40];
                for (int k = 0; k < tile.length; k++) {
                    tile[k] = (k * 7919 % 101) / 100f;
                }
                try {
                    m.probabilities(tile, 48, 40, new float[tile.length * 3]);
                } catch (IllegalStateException e) {
                    String msg = String.valueOf(e.getMessage()).replace('\n', ' ');
                    result = msg.contains(model.toString()) ? "CLEAN at inference: " + msg : "UNNAMED " + msg;
                }
            } catch (IOException | IllegalArgumentException e) {
                String msg = String.valueOf(e.getMessage()).replace('\n', ' ');
                result = msg.contains(model.toString()) ? "CLEAN " + msg : "UNNAMED " + msg;
            } catch (Throwable t) {
                result = "ESCAPED " + t.toString().replace('\n', ' ');
            }
            System.out.println("END " + i + " " + result);
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }
}
