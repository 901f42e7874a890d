// A WebGL2 renderer for 3D Gaussian splats: each Gaussian's 3D covariance (from its scale and rotation) is
// projected to a 2D screen ellipse with the perspective Jacobian (EWA splatting, as in 3DGS), drawn as an
// instanced quad whose fragments fall off as exp(-d^2/2), blended back to front after a depth sort.

const VS = `#version 300 es
precision highp float;
in vec2 corner;
in vec3 center;
in vec4 color;
in vec3 covA;
in vec3 covB;
uniform mat4 view;
uniform mat4 proj;
uniform vec2 viewport;
uniform vec2 focal;
out vec4 vColor;
out vec2 vPos;
void main() {
  vec4 cam = view * vec4(center, 1.0);
  if (cam.z > -0.02) { gl_Position = vec4(0.0, 0.0, 2.0, 1.0); return; }
  vec4 clip = proj * cam;
  mat3 sigma = mat3(covA.x, covA.y, covA.z, covA.y, covB.x, covB.y, covA.z, covB.y, covB.z);
  float z = cam.z;
  mat3 J = mat3(focal.x / -z, 0.0, 0.0,
                0.0, focal.y / -z, 0.0,
                focal.x * cam.x / (z * z), focal.y * cam.y / (z * z), 0.0);
  mat3 T = J * mat3(view);
  mat3 c2 = T * sigma * transpose(T);
  float a = c2[0][0] + 0.3;
  float b = c2[0][1];
  float c = c2[1][1] + 0.3;
  float mid = 0.5 * (a + c);
  float rad = length(vec2(0.5 * (a - c), b));
  float l1 = mid + rad;
  float l2 = max(mid - rad, 0.1);
  vec2 v1 = abs(b) < 1e-6 ? (a >= c ? vec2(1.0, 0.0) : vec2(0.0, 1.0)) : normalize(vec2(b, l1 - a));
  vec2 v2 = vec2(v1.y, -v1.x);
  vec2 axis1 = min(3.0 * sqrt(l1), 1024.0) * v1;
  vec2 axis2 = min(3.0 * sqrt(l2), 1024.0) * v2;
  vec2 ndc = clip.xy / clip.w;
  gl_Position = vec4(ndc + (corner.x * axis1 + corner.y * axis2) * 2.0 / viewport, clip.z / clip.w, 1.0);
  vPos = corner * 3.0;
  vColor = color;
}`;

const FS = `#version 300 es
precision highp float;
in vec4 vColor;
in vec2 vPos;
out vec4 outColor;
void main() {
  float alpha = vColor.a * exp(-0.5 * dot(vPos, vPos));
  if (alpha < 1.0 / 255.0) discard;
  outColor = vec4(vColor.rgb, alpha);
}`;

const STRIDE = 13; // center 3, color 4, covA 3, covB 3

function compile(gl, type, src) {
  const s = gl.createShader(type);
  gl.shaderSource(s, src);
  gl.compileShader(s);
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error('shader: ' + gl.getShaderInfoLog(s));
  return s;
}

/** Σ = R S Sᵀ Rᵀ per Gaussian, as the 6 unique entries (xx, xy, xz, yy, yz, zz). */
export function covariances(frame) {
  const n = frame.count;
  const out = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) {
    let w = frame.rotations[i * 4], x = frame.rotations[i * 4 + 1], y = frame.rotations[i * 4 + 2], z = frame.rotations[i * 4 + 3];
    const len = Math.hypot(w, x, y, z) || 1;
    w /= len; x /= len; y /= len; z /= len;
    const r = [
      1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
      2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
      2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
    ];
    const s = [frame.scales[i * 3], frame.scales[i * 3 + 1], frame.scales[i * 3 + 2]];
    const m = new Array(9);
    for (let row = 0; row < 3; row++) for (let col = 0; col < 3; col++) m[row * 3 + col] = r[row * 3 + col] * s[col];
    const e = (p, q) => m[p * 3] * m[q * 3] + m[p * 3 + 1] * m[q * 3 + 1] + m[p * 3 + 2] * m[q * 3 + 2];
    out.set([e(0, 0), e(0, 1), e(0, 2), e(1, 1), e(1, 2), e(2, 2)], i * 6);
  }
  return out;
}

/** Centre and radius of a frame's Gaussians (median-robust: the 5th-95th percentile box). */
export function bounds(frame) {
  const n = frame.count;
  if (!n) return { center: [0, 0, 1], radius: 1 };
  const axis = (k) => {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = frame.positions[i * 3 + k];
    v.sort();
    return [v[Math.floor(n * 0.05)], v[Math.min(n - 1, Math.floor(n * 0.95))]];
  };
  const ax = [axis(0), axis(1), axis(2)];
  const center = ax.map(([lo, hi]) => (lo + hi) / 2);
  const radius = Math.max(1e-3, Math.hypot(...ax.map(([lo, hi]) => (hi - lo) / 2)));
  return { center, radius };
}

function lookAt(eye, target, up) {
  const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  const norm = (a) => { const l = Math.hypot(...a) || 1; return a.map((v) => v / l); };
  const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const f = norm(sub(target, eye));
  const s = norm(cross(f, up));
  const u = cross(s, f);
  // column-major
  return new Float32Array([s[0], u[0], -f[0], 0, s[1], u[1], -f[1], 0, s[2], u[2], -f[2], 0, -dot(s, eye), -dot(u, eye), dot(f, eye), 1]);
}

function perspective(fovY, aspect, near, far) {
  const f = 1 / Math.tan(fovY / 2);
  return new Float32Array([f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, (far + near) / (near - far), -1, 0, 0, (2 * far * near) / (near - far), 0]);
}

/** An orbit camera around a target; the data's y axis points down (image convention), so "up" is -y. */
export function orbitEye(cam) {
  const { target, azimuth, elevation, distance } = cam;
  return [
    target[0] + distance * Math.sin(azimuth) * Math.cos(elevation),
    target[1] - distance * Math.sin(elevation),
    target[2] - distance * Math.cos(azimuth) * Math.cos(elevation),
  ];
}

export class SplatRenderer {
  constructor(canvas) {
    this.canvas = canvas;
    const gl = canvas.getContext('webgl2', { antialias: false, premultipliedAlpha: false, preserveDrawingBuffer: true });
    if (!gl) throw new Error('WebGL2 is not available in this browser, so the 3D view cannot be drawn.');
    this.gl = gl;
    const prog = gl.createProgram();
    gl.attachShader(prog, compile(gl, gl.VERTEX_SHADER, VS));
    gl.attachShader(prog, compile(gl, gl.FRAGMENT_SHADER, FS));
    gl.linkProgram(prog);
    if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) throw new Error('shader link: ' + gl.getProgramInfoLog(prog));
    this.prog = prog;
    this.vao = gl.createVertexArray();
    gl.bindVertexArray(this.vao);
    const quad = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, quad);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    const loc = (n) => gl.getAttribLocation(prog, n);
    gl.enableVertexAttribArray(loc('corner'));
    gl.vertexAttribPointer(loc('corner'), 2, gl.FLOAT, false, 0, 0);
    this.inst = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, this.inst);
    const attr = (name, size, offset) => {
      const l = loc(name);
      gl.enableVertexAttribArray(l);
      gl.vertexAttribPointer(l, size, gl.FLOAT, false, STRIDE * 4, offset * 4);
      gl.vertexAttribDivisor(l, 1);
    };
    attr('center', 3, 0);
    attr('color', 4, 3);
    attr('covA', 3, 7);
    attr('covB', 3, 10);
    gl.bindVertexArray(null);
    this.u = {};
    for (const n of ['view', 'proj', 'viewport', 'focal']) this.u[n] = gl.getUniformLocation(prog, n);
    this.frame = null;
  }

  /** frame: {count, positions, scales, rotations (w,x,y,z), colors (linear RGB 0..1), opacities}. */
  setFrame(frame) {
    this.frame = frame;
    this.cov = covariances(frame);
    this.data = new Float32Array(frame.count * STRIDE);
    this.depth = new Float32Array(frame.count);
    this.order = new Uint32Array(frame.count);
  }

  render(cam) {
    const gl = this.gl;
    const w = this.canvas.width;
    const h = this.canvas.height;
    gl.viewport(0, 0, w, h);
    gl.clearColor(0.063, 0.078, 0.094, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const f = this.frame;
    if (!f || !f.count) return 0;
    const fovY = cam.fovY || Math.PI / 3;
    const view = lookAt(orbitEye(cam), cam.target, [0, -1, 0]);
    const proj = perspective(fovY, w / h, Math.max(1e-3, cam.distance / 1000), cam.distance * 100);
    const focalY = h / (2 * Math.tan(fovY / 2));
    const n = f.count;
    const p = f.positions;
    for (let i = 0; i < n; i++) {
      this.depth[i] = view[2] * p[i * 3] + view[6] * p[i * 3 + 1] + view[10] * p[i * 3 + 2] + view[14];
      this.order[i] = i;
    }
    const depth = this.depth;
    this.order.sort((a, b) => depth[a] - depth[b]); // most negative view z (farthest) first
    const d = this.data;
    const c = f.colors;
    const o = f.opacities;
    const cov = this.cov;
    for (let k = 0; k < n; k++) {
      const i = this.order[k];
      const base = k * STRIDE;
      d[base] = p[i * 3]; d[base + 1] = p[i * 3 + 1]; d[base + 2] = p[i * 3 + 2];
      d[base + 3] = c[i * 3]; d[base + 4] = c[i * 3 + 1]; d[base + 5] = c[i * 3 + 2]; d[base + 6] = o[i];
      for (let j = 0; j < 6; j++) d[base + 7 + j] = cov[i * 6 + j];
    }
    gl.useProgram(this.prog);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.inst);
    gl.bufferData(gl.ARRAY_BUFFER, d, gl.DYNAMIC_DRAW);
    gl.uniformMatrix4fv(this.u.view, false, view);
    gl.uniformMatrix4fv(this.u.proj, false, proj);
    gl.uniform2f(this.u.viewport, w, h);
    gl.uniform2f(this.u.focal, focalY, focalY);
    gl.disable(gl.DEPTH_TEST);
    gl.enable(gl.BLEND);
    gl.blendFuncSeparate(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.bindVertexArray(this.vao);
    gl.drawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, n);
    gl.bindVertexArray(null);
    return n;
  }

  dispose() {
    const ext = this.gl.getExtension('WEBGL_lose_context');
    if (ext) ext.loseContext();
  }
}
