package io.timeoutpolicy.dashboard;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Scales a screenshot down for docs/using.md, keeping its proportions, with 16 levels per colour channel:
 * a page of flat colours stays legible and compresses to a fraction of the size.
 */
final class Screenshots {

    private Screenshots() {
    }

    static void scale(Path from, Path to, int width) throws Exception {
        BufferedImage source = ImageIO.read(from.toFile());
        int height = (int) Math.round(source.getHeight() * (double) width / source.getWidth());
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var graphics = target.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        graphics.drawImage(source, 0, 0, width, height, null);
        graphics.dispose();
        posterize(target);
        ImageIO.write(target, "png", to.toFile());
    }

    private static void posterize(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                image.setRGB(x, y, level(rgb >> 16) << 16 | level(rgb >> 8) << 8 | level(rgb));
            }
        }
    }

    private static int level(int channel) {
        return Math.round((channel & 0xff) / 17f) * 17;
    }
}
