// A small spherical Mercator projection of our own rather than a library: South Korea
// spans 7.5° of longitude and 6° of latitude, where Mercator's area distortion is under
// 15%, and a fixed frame keeps the map still when the level or the vintage changes.
const FRAME = { west: 124.5, east: 132.0, south: 33.0, north: 38.75 };
export const WIDTH = 800;

function mercatorY(lat) {
  return Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
}

const top = mercatorY(FRAME.north);
const scale = WIDTH / (((FRAME.east - FRAME.west) * Math.PI) / 180);
export const HEIGHT = Math.round((top - mercatorY(FRAME.south)) * scale);

function project([lon, lat]) {
  return [(((lon - FRAME.west) * Math.PI) / 180) * scale, (top - mercatorY(lat)) * scale];
}

function point(coords) {
  const [x, y] = project(coords);
  return `${x.toFixed(1)},${y.toFixed(1)}`;
}

/** The box [x, y, w, h] of some features on the map, widened by `margin` of its size
 * (computed from the coordinates: asking the browser for SVG boxes forces a layout). */
export function boxOf(features, margin = 0.08) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { geometry } of features) {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const rings of polygons) {
      for (const c of rings[0]) {
        const [x, y] = project(c);
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
      }
    }
  }
  const w = x1 - x0; const h = y1 - y0;
  return [x0 - w * margin, y0 - h * margin, w * (1 + 2 * margin), h * (1 + 2 * margin)];
}

function ring(coords) {
  return `M${coords.map(point).join('L')}Z`;
}

/** The SVG path data of a GeoJSON Polygon or MultiPolygon (holes by the even-odd rule). */
export function pathData(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((rings) => rings.map(ring).join('')).join('');
}

const paths = new WeakMap();

/** `pathData` of a feature, computed once per feature object (the API answer is cached). */
export function featurePath(feature) {
  if (!paths.has(feature)) paths.set(feature, pathData(feature.geometry));
  return paths.get(feature);
}
