// Turns compressed image bytes (JPEG, PNG) into RGBA pixels with the browser's
// own decoders. The display takes any function of this shape, which lets
// tests run without a browser.

/**
 * @param {Uint8Array} bytes the encoded image
 * @param {string} mime 'image/jpeg' or 'image/png'
 * @returns {Promise<{width:number, height:number, data:Uint8ClampedArray}>}
 */
export async function browserImageDecoder(bytes, mime) {
    if (typeof ImageDecoder === 'function') {
        return webCodecsDecode(bytes, mime);
    }
    return canvasDecode(bytes, mime);
}

/** WebCodecs: the frame's pixels copied out as RGBA, no canvas round trip. */
async function webCodecsDecode(bytes, mime) {
    const decoder = new ImageDecoder({ data: bytes, type: mime, colorSpaceConversion: 'none' });
    try {
        const { image } = await decoder.decode();
        try {
            const width = image.displayWidth;
            const height = image.displayHeight;
            const data = new Uint8ClampedArray(width * height * 4);
            await image.copyTo(data, { format: 'RGBA' });
            return { width, height, data };
        } finally {
            image.close();
        }
    } finally {
        decoder.close();
    }
}

async function canvasDecode(bytes, mime) {
    const blob = new Blob([bytes], { type: mime });
    const bitmap = await createImageBitmap(blob, {
        colorSpaceConversion: 'none',
        premultiplyAlpha: 'none',
    });
    try {
        const { width, height } = bitmap;
        const canvas = typeof OffscreenCanvas === 'function'
            ? new OffscreenCanvas(width, height)
            : Object.assign(document.createElement('canvas'), { width, height });
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(bitmap, 0, 0);
        return { width, height, data: ctx.getImageData(0, 0, width, height).data };
    } finally {
        bitmap.close();
    }
}
