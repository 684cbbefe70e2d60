/// The pages (schema/openapi.yaml lists them with the JSON API). Pages want the admin token
/// (bearer header or the login cookie); the login form and sign-out need none.
public enum UIRoutes {
    /// `/` and `/ui` send a browser to the experiments (the sign-in form first when it has no cookie).
    public static let root = APIRoute(method: "GET", path: "/", roles: APIRoutes.anyone)
    public static let uiRoot = APIRoute(method: "GET", path: "/ui", roles: APIRoutes.anyone)
    public static let loginForm = APIRoute(method: "GET", path: "/ui/login", roles: APIRoutes.anyone)
    public static let login = APIRoute(method: "POST", path: "/ui/login", roles: APIRoutes.anyone)
    public static let logout = APIRoute(method: "POST", path: "/ui/logout", roles: APIRoutes.anyone)
    public static let experiments = APIRoute(method: "GET", path: "/ui/experiments", roles: APIRoutes.admin)
    public static let experiment = APIRoute(method: "GET", path: "/ui/experiments/{experiment}", roles: APIRoutes.admin)
    public static let download = APIRoute(method: "GET", path: "/ui/experiments/{experiment}/table/{format}",
                                          roles: APIRoutes.admin)
    public static let sample = APIRoute(method: "GET", path: "/ui/experiments/{experiment}/jobs/{job_id}/samples/{sample}",
                                        roles: APIRoutes.admin)
    public static let workers = APIRoute(method: "GET", path: "/ui/workers", roles: APIRoutes.admin)

    public static let all: [APIRoute] = [root, uiRoot, loginForm, login, logout, experiments, experiment, download, sample, workers]
}

extension APIRoutes {
    /// Every route the coordinator serves: the JSON API and the pages.
    public static var served: [APIRoute] { all + UIRoutes.all }
}
