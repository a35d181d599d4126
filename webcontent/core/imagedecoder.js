// Turns compressed image bytes (JPEG, PNG) into RGBA pixels with the browser's
// own decoders. The display takes any function of this shape, which lets
// tests run without a browser.

/**
 * @param {Uint8Array} bytes the encoded image
 * @param {string} mime 'image/jpeg' or 'image/png'
 * @returns {Promise<{width:number, height:number, data:Uint8ClampedArray}>}
 */
export async function browserImageDecoder(bytes, mime) {
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
