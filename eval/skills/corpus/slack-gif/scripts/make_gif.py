from PIL import Image, ImageDraw

def bounce(size=128, frames=20):
    out = []
    for i in range(frames):
        im = Image.new("RGBA", (size, size), (255, 255, 255, 0))
        d = ImageDraw.Draw(im)
        y = abs((i % 10) - 5) * 8
        d.ellipse((40, 20 + y, 88, 68 + y), fill=(224, 122, 95, 255))
        out.append(im)
    out[0].save("bounce.gif", save_all=True, append_images=out[1:], duration=50, loop=0)

bounce()
