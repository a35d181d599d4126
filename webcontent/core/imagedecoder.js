// Turns compressed image bytes (JPEG, PNG) into RGBA pixels with the browser's
// own decoders. The display takes any function of this shape, which lets
// tests run without a browser.

/**
 * @param {Uint8Array} bytes the encoded image
 * @param {string} mime 'image/jpeg' or 'image/png'
 * @returns {Promise<{width:number, height:number, data:Uint8ClampedArray, opaque:boolean}>}
 *     opaque: every alpha byte is already 255 (JPEG has no alpha)
 */
export async function browserImageDecoder(bytes, mime) {
    const img = typeof ImageDecoder === 'function' ? await webCodecsDecode(bytes, mime) : await canvasDecode(bytes, mime);
    return { ...img, opaque: mime === 'image/jpeg' };
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

/**
 * Decodes an image into something a canvas can draw: an <img> element
 * decoded by the browser off the main thread (a data: URL, which needs no
 * trip to the browser process). Measured in Chromium 156 (bench/decode-bench.mjs)
 * this costs a third less CPU per JPEG rectangle than WebCodecs, whose
 * frames are YUV and converted at draw time. The caller must close() it.
 * @returns {Promise<{width:number, height:number, source:CanvasImageSource, close:Function}>}
 */
export async function browserImageSource(bytes, mime) {
    const img = new Image();
    img.src = `data:${mime};base64,${base64(bytes)}`;
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight, source: img, close: () => {} };
}

function base64(bytes) {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 8192) {
        binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    }
    return btoa(binary);
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
